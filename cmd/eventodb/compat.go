package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// compatArgs rewrites a command line written for the existing EventoDB
// server, which tools and test harnesses spawn as
//
//	eventodb --test-mode --port=6789 --token=…     (flags, no subcommand)
//	eventodb -port 6789 -token … -test-mode        (Go flag package style)
//
// into the serve command: a line that starts with a flag other than help or
// version runs serve, and serve's long flags are also accepted with one dash.
func compatArgs(root *cobra.Command, args []string) []string {
	if len(args) == 0 {
		return args
	}
	if strings.HasPrefix(args[0], "-") && !isRootFlag(args[0]) {
		args = append([]string{"serve"}, args...)
	}
	if args[0] != "serve" {
		return args
	}
	serve, _, err := root.Find([]string{"serve"})
	if err != nil {
		return args
	}
	out := make([]string, 0, len(args))
	out = append(out, args[0])
	for i, a := range args[1:] {
		if a == "--" {
			return append(out, args[i+1:]...)
		}
		out = append(out, doubleDash(serve, a))
	}
	return out
}

// isRootFlag reports whether arg is a flag the root command answers itself.
func isRootFlag(arg string) bool {
	switch arg {
	case "-h", "--help", "-help", "-v", "--version", "-version":
		return true
	}
	return false
}

// doubleDash turns -name or -name=value into --name… when name is a long flag
// of cmd; anything else (shorthands, values, --flags) is returned as it is.
func doubleDash(cmd *cobra.Command, arg string) string {
	if len(arg) < 3 || arg[0] != '-' || arg[1] == '-' {
		return arg
	}
	name, _, _ := strings.Cut(arg[1:], "=")
	if len(name) > 1 && cmd.Flags().Lookup(name) != nil {
		return "-" + arg
	}
	return arg
}
