from faasguard.cli import main

main()
