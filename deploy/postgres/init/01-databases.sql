-- One database per service, each owned by the service's own login role, so that no
-- service can read another's tables.
--
-- The official postgres image runs this file with psql once, when the data volume is
-- empty. The passwords come from the postgres container's environment (set in
-- docker-compose.yml, with local defaults); psql 15 reads them with \getenv. A missing
-- one makes CREATE ROLE fail with a syntax error, which stops the initialisation.
-- Each service's schema is created by its own migrations (`zroute-<service> migrate`,
-- also run by `serve` before it starts).

\getenv intake_password INTAKE_DB_PASSWORD
\getenv planning_password PLANNING_DB_PASSWORD
\getenv support_password SUPPORT_DB_PASSWORD
\getenv notifications_password NOTIFICATIONS_DB_PASSWORD

CREATE ROLE zroute_intake LOGIN PASSWORD :'intake_password';
CREATE ROLE zroute_planning LOGIN PASSWORD :'planning_password';
CREATE ROLE zroute_support LOGIN PASSWORD :'support_password';
CREATE ROLE zroute_notifications LOGIN PASSWORD :'notifications_password';

CREATE DATABASE zroute_intake OWNER zroute_intake;
CREATE DATABASE zroute_planning OWNER zroute_planning;
CREATE DATABASE zroute_support OWNER zroute_support;
CREATE DATABASE zroute_notifications OWNER zroute_notifications;

-- Only the owner (and the superuser) may connect.
REVOKE CONNECT, TEMPORARY ON DATABASE zroute_intake FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE zroute_planning FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE zroute_support FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE zroute_notifications FROM PUBLIC;
