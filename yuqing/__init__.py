"""The `yuqing` command line: the top floor, imported by nothing but its entry point."""
