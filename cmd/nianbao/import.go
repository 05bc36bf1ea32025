package main

func runImport(e *env) int { return notYet(e, "import") }
