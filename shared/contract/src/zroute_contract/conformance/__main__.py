from zroute_contract.conformance.cli import main

main()
