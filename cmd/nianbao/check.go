package main

func runCheck(e *env) int { return notYet(e, "check") }
