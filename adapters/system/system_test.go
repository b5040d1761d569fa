package system_test

import (
	"testing"

	"github.com/eventodb/eventodb/adapters/system"
)

func TestUUIDs(t *testing.T) {
	t.Parallel()
	ids := system.UUIDs{}
	a, b := ids.NewID(), ids.NewID()
	if a == b || len(a) != 36 || a[14] != '7' {
		t.Fatalf("NewID gave %q and %q, want distinct version 7 UUIDs", a, b)
	}
	if a > b {
		t.Fatalf("NewID gave %q, then %q: ids made in order must sort in order", a, b)
	}
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"6F9619FF-8B86-D011-B42D-00CF4FC964FF", "6f9619ff-8b86-d011-b42d-00cf4fc964ff", true},
		{a, a, true},
		{"6f9619ff8b86d011b42d00cf4fc964ff", "", false},
		{"{6f9619ff-8b86-d011-b42d-00cf4fc964ff}", "", false},
		{"urn:uuid:6f9619ff-8b86-d011-b42d-00cf4fc964ff", "", false},
		{"not-a-uuid", "", false},
		{"", "", false},
	} {
		got, err := ids.Normalize(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
