package main

func runRender(e *env) int { return notYet(e, "render") }
