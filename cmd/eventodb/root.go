package main

import (
	"github.com/spf13/cobra"

	"github.com/eventodb/eventodb/app/version"
)

// newRootCmd builds the command tree.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "eventodb",
		Short: "EventoDB: an event store server with streams, categories and real-time subscriptions",
		Long: "EventoDB is an event store server for event-sourced applications and pub/sub consumers.\n" +
			"Clients append messages to streams over a JSON-RPC-style HTTP API, read streams and\n" +
			"categories back in order, and subscribe to new messages with Server-Sent Events.",
		Version:           version.Current(),
		SilenceErrors:     true, // execute prints one line
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.SetVersionTemplate("eventodb {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return err // a usage error: execute exits with code 2
	})
	root.AddCommand(newServeCmd(), newVersionCmd())
	root.AddCommand(newExportCmd())
	root.AddCommand(newImportCmd())
	root.AddCommand(newBenchCmd())
	return root
}
