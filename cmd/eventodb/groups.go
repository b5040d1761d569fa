package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/eventodb/eventodb/adapters/cli/transfer"
	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/ports"
)

// exportGroups writes the durable consumer groups of src after an export's
// messages (export --groups).
func exportGroups(ctx context.Context, src transfer.Source, q ports.ExportQuery, out io.Writer) error {
	gs, ok := src.(transfer.GroupSource)
	if !ok {
		return errors.New("--groups: this source cannot read consumer groups")
	}
	if _, err := transfer.ExportGroups(ctx, gs, q.Categories, out); err != nil {
		return fmt.Errorf("export of the consumer groups: %w", err)
	}
	return nil
}

// groupService is the group service over a store opened directly, for
// import --groups.
func groupService(store *bunstore.Store) *service.Groups {
	categories := service.NewCategories(store, service.DefaultLimits())
	return service.NewGroups(store, categories, store, system.Clock{}, system.UUIDs{})
}
