package main

func runConvert(e *env) int { return notYet(e, "convert") }
