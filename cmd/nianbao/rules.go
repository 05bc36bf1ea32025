package main

func runRules(e *env) int { return notYet(e, "rules") }
