from hoidap.cli import main

main()
