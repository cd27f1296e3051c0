package main

// version is the release version, set at build time with
// -ldflags "-X main.version=v1.2.3".
var version = "dev"
