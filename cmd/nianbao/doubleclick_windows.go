package main

// doubleClicked: on Windows, nianbao.exe started with no arguments is a
// double-click in Explorer, so it starts the web app (nianbao serve).
const doubleClicked = true
