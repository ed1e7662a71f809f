from olivebranch.cli import main

main()
