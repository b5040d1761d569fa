package group_test

import (
	"errors"
	"testing"

	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/stream"
)

func TestParseStartAt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    group.StartAt
		wire    string
		invalid bool
	}{
		{in: "", want: group.StartAt{}, wire: "beginning"},
		{in: "beginning", want: group.StartAt{}, wire: "beginning"},
		{in: "end", want: group.StartAt{Kind: group.End}, wire: "end"},
		{in: "1", want: group.StartAt{Kind: group.Position, Position: 1}, wire: "1"},
		{in: "1523", want: group.StartAt{Kind: group.Position, Position: 1523}, wire: "1523"},
		{in: "0", invalid: true},
		{in: "-4", invalid: true},
		{in: "9007199254740992", invalid: true},
		{in: "End", invalid: true},
		{in: "1.5", invalid: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := group.ParseStartAt(tt.in)
			if tt.invalid {
				var v *stream.ValidationError
				if !errors.As(err, &v) || v.Field != "startAt" {
					t.Fatalf("ParseStartAt(%q) = %v, %v; want a startAt validation error", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want || got.String() != tt.wire {
				t.Fatalf("ParseStartAt(%q) = %+v (%s), %v; want %+v (%s)", tt.in, got, got, err, tt.want, tt.wire)
			}
		})
	}
}

func TestStartAtCheckpoint(t *testing.T) {
	t.Parallel()
	at := func(n int64) group.StartAt { s, _ := group.AtPosition(n); return s }
	tests := []struct {
		name    string
		start   group.StartAt
		head    int64
		want    int64
		invalid bool
	}{
		{name: "beginning", start: group.StartAt{}, head: 40, want: 0},
		{name: "end", start: group.StartAt{Kind: group.End}, head: 40, want: 40},
		{name: "end of an empty namespace", start: group.StartAt{Kind: group.End}, head: 0, want: 0},
		{name: "position N starts at N", start: at(10), head: 40, want: 9},
		{name: "position 1 is the beginning", start: at(1), head: 0, want: 0},
		{name: "the next position", start: at(41), head: 40, want: 40},
		{name: "past the next position", start: at(42), head: 40, invalid: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.start.Checkpoint(tt.head)
			if tt.invalid != (err != nil) || (!tt.invalid && got != tt.want) {
				t.Fatalf("Checkpoint(%d) = %d, %v; want %d (invalid %v)", tt.head, got, err, tt.want, tt.invalid)
			}
		})
	}
}

func TestDefinitionValidate(t *testing.T) {
	t.Parallel()
	ok := group.Definition{Category: "account", Size: 1}
	tests := []struct {
		name  string
		edit  func(d *group.Definition)
		field string // "": valid
	}{
		{name: "minimal", edit: func(*group.Definition) {}},
		{name: "everything", edit: func(d *group.Definition) {
			d.Size, d.Correlation, d.StartAt = group.MaxSize, "workflow", group.StartAt{Kind: group.End}
		}},
		{name: "no category", edit: func(d *group.Definition) { d.Category = "" }, field: "category"},
		{name: "control character", edit: func(d *group.Definition) { d.Category = "a\nb" }, field: "category"},
		{name: "size 0", edit: func(d *group.Definition) { d.Size = 0 }, field: "size"},
		{name: "negative size", edit: func(d *group.Definition) { d.Size = -2 }, field: "size"},
		{name: "size over the maximum", edit: func(d *group.Definition) { d.Size = group.MaxSize + 1 }, field: "size"},
		{name: "bad correlation", edit: func(d *group.Definition) { d.Correlation = string([]byte{0xff}) }, field: "correlation"},
		{name: "position 0", edit: func(d *group.Definition) { d.StartAt = group.StartAt{Kind: group.Position} }, field: "startAt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := ok
			tt.edit(&d)
			err := d.Validate()
			var v *stream.ValidationError
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.field != "" && (!errors.As(err, &v) || v.Field != tt.field):
				t.Fatalf("Validate() = %v, want a validation error of %s", err, tt.field)
			}
		})
	}
}

func TestDefinitionSame(t *testing.T) {
	t.Parallel()
	base := group.Definition{Category: "account", Size: 2, Correlation: "workflow", StartAt: group.StartAt{Kind: group.End}}
	tests := []struct {
		name string
		edit func(d *group.Definition)
		same bool
	}{
		{name: "identical", edit: func(*group.Definition) {}, same: true},
		{name: "category", edit: func(d *group.Definition) { d.Category = "order" }},
		{name: "size", edit: func(d *group.Definition) { d.Size = 3 }},
		{name: "correlation", edit: func(d *group.Definition) { d.Correlation = "" }},
		{name: "startAt", edit: func(d *group.Definition) { d.StartAt = group.StartAt{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := base
			tt.edit(&d)
			if got := base.Same(d); got != tt.same {
				t.Fatalf("Same = %v, want %v", got, tt.same)
			}
		})
	}
}

func TestValidateName(t *testing.T) {
	t.Parallel()
	for name, valid := range map[string]bool{"billing": true, "billing-v2+x": true, "": false, "a\x00b": false} {
		if err := group.ValidateName(name); (err == nil) != valid {
			t.Errorf("ValidateName(%q) = %v, want valid %v", name, err, valid)
		}
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err    error
		target error
	}{
		{group.NotFoundError("billing"), group.ErrNotFound},
		{group.ExistsError("billing", group.Definition{Category: "a", Size: 1}), group.ErrExists},
		{group.FullError("billing", 3), group.ErrFull},
		{group.LeaseExpiredError("billing", "l-1"), group.ErrLeaseExpired},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, tt.target) {
			t.Errorf("%v is not %v", tt.err, tt.target)
		}
	}
}
