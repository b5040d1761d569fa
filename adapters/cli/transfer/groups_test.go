package transfer_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/adapters/cli/transfer"
	"github.com/eventodb/eventodb/client"
)

// Groups exported through a server (group.list with definitions, by the
// Go client) are written exactly as those read from the store itself.
func TestRemoteGroupsMatchTheStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, store := serve(t)
	fill(t, store, 60) // odd global positions 1 … 119
	for _, g := range []struct {
		name string
		def  client.GroupDefinition
	}{
		{"billing", client.GroupDefinition{Category: "big", Size: 2, StartAt: client.StartAtEnd()}},
		{"flow", client.GroupDefinition{Category: "small", Correlation: "flow"}},
		{"replay", client.GroupDefinition{Category: "rare", Size: 3, StartAt: client.StartAtPosition(11)}},
		{"untouched", client.GroupDefinition{Category: "big"}},
	} {
		if _, err := c.CreateGroup(ctx, g.name, g.def); err != nil {
			t.Fatal(err)
		}
	}
	var last int64
	for i := range 4 {
		res, err := c.Write(ctx, fmt.Sprintf("big-%d", i), client.MessageData{Type: "T"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		last = res.GlobalPosition
	}
	if _, err := c.AckGroup(ctx, "billing", client.GroupAckOptions{Member: 1, GlobalPosition: last}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ResetGroupMember(ctx, "replay", 2, 50); err != nil {
		t.Fatal(err)
	}

	for _, categories := range [][]string{nil, {"big"}} {
		var remote, local bytes.Buffer
		n, err := transfer.ExportGroups(ctx, transfer.RemoteSource{Client: c}, categories, &remote)
		if err != nil {
			t.Fatal(err)
		}
		m, err := transfer.ExportGroups(ctx, transfer.StoreSource{Groups: store, Namespace: "tenant"}, categories, &local)
		if err != nil {
			t.Fatal(err)
		}
		if n != m || remote.String() != local.String() {
			t.Fatalf("categories %v: through the server %d groups:\n%s\nfrom the store %d:\n%s", categories, n, remote.String(), m, local.String())
		}
		if categories == nil {
			out := remote.String()
			for _, want := range []string{`"startAt":"end"`, `"startAt":11,"start":10`, `"correlation":"flow"`, `"startAt":"beginning"`,
				fmt.Sprintf(`"member":1,"globalPosition":%d,"updatedAt":"`, last), `"member":2,"globalPosition":50,"updatedAt":"`, `"updatedAt":null`} {
				if !strings.Contains(out, want) {
					t.Errorf("the export lacks %s:\n%s", want, out)
				}
			}
			if n != 4 {
				t.Errorf("%d groups exported, want 4", n)
			}
		} else if n != 2 {
			t.Errorf("%d groups of category big exported, want 2", n)
		}
	}
}
