package main

func runBatch(e *env) int { return notYet(e, "batch") }
