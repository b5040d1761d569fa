// Command eventodb is the EventoDB server and its tools.
//
//	eventodb serve [flags]    run the server (see eventodb serve --help);
//	                          "eventodb --port 6789 ..." (flags first) is serve too
//	eventodb export [flags]   write a namespace as NDJSON (or into Message DB)
//	eventodb import [flags]   read an NDJSON export (or a Message DB table) back, keeping positions
//	eventodb bench [flags]    drive a running server with the guide's benchmark rows
//	eventodb version          print the version
//
// Exit codes: 0 success, 1 the server failed, 2 bad flags or configuration.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1 // the command ran and failed
	exitUsage  = 2 // bad command line or configuration
)

func main() {
	os.Exit(execute(os.Args[1:], os.Stdout, os.Stderr))
}

// execute runs the command line args and returns the exit code.
func execute(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(compatArgs(root, args))
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "eventodb: "+firstLine(err.Error()))
	var failed *runError
	if errors.As(err, &failed) {
		return exitFailed
	}
	return exitUsage
}

// runError is a failure of a command that got as far as running; every other
// error is a usage error.
type runError struct{ err error }

func (e *runError) Error() string { return e.err.Error() }
func (e *runError) Unwrap() error { return e.err }

// firstLine keeps error output to one line (cobra appends suggestions on
// further lines).
func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(line)
}
