// A Z-route subscriber in Node.js, with nothing but a standard AMQP 0-9-1 client.
//
// It declares its own queue (named under the prefix its broker account may use), binds
// it to the routing keys it wants (the broker refuses keys not meant for it), and prints
// each CloudEvent as one JSON line. It checks what every integrator should check: the
// AMQP message_id equals the CloudEvent id (deduplicate on it), and the sequence of each
// source only grows (a jump means missed events: resync from the source).
//
//   AMQP_URL=amqp://user:pass@host:5672/  EXCHANGE=zroute.events \
//   QUEUE=zroute-sub.user.inbox  BINDINGS=intake.intake.completed,support.referral.requested.care-a \
//   COUNT=10  node subscribe.js
"use strict";

const amqp = require("amqplib");

async function main() {
  const url = process.env.AMQP_URL || "amqp://guest:guest@127.0.0.1:5672/";
  const exchange = process.env.EXCHANGE || "zroute.events";
  const queueName = process.env.QUEUE;
  const bindings = (process.env.BINDINGS || "").split(",").filter(Boolean);
  const count = Number(process.env.COUNT || "0"); // 0: run until stopped
  if (!queueName || bindings.length === 0) {
    throw new Error("set QUEUE and BINDINGS");
  }

  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  await channel.assertQueue(queueName, { exclusive: true });
  for (const key of bindings) {
    await channel.bindQueue(queueName, exchange, key);
  }
  await channel.prefetch(10);
  console.error(`listening on ${queueName} for ${bindings.join(", ")}`);

  const seen = new Set();
  const lastSequence = new Map();
  let received = 0;
  await channel.consume(queueName, (message) => {
    const event = JSON.parse(message.content.toString("utf8"));
    if (message.properties.messageId !== event.id) {
      throw new Error(`message_id ${message.properties.messageId} is not the event id ${event.id}`);
    }
    const duplicate = seen.has(event.id);
    seen.add(event.id);
    const previous = lastSequence.get(event.source);
    const gap = previous !== undefined && event.sequence > previous && BigInt(event.sequence) !== BigInt(previous) + 1n;
    if (previous === undefined || event.sequence > previous) lastSequence.set(event.source, event.sequence);
    console.log(JSON.stringify({
      routing_key: message.fields.routingKey,
      id: event.id, type: event.type, source: event.source, subject: event.subject,
      sequence: event.sequence, duplicate, gap,
    }));
    channel.ack(message);
    received += 1;
    if (count && received >= count) {
      connection.close().then(() => process.exit(0));
    }
  });
}

main().catch((error) => {
  console.error(`subscriber failed: ${error.message}`);
  process.exit(1);
});
