from deepwiki.cli import main

main()
