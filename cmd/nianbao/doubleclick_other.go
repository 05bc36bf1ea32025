//go:build !windows

package main

// doubleClicked: elsewhere no arguments prints the usage, which names serve.
const doubleClicked = false
