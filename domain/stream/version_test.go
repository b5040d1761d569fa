package stream_test

import (
	"errors"
	"testing"

	"github.com/eventodb/eventodb/domain/stream"
)

func TestExpectedVersionValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		v       stream.ExpectedVersion
		wantErr bool
	}{
		{"any", stream.AnyVersion(), false},
		{"zero value", stream.ExpectedVersion{}, false},
		{"no stream", stream.ExactVersion(stream.NoStream), false},
		{"zero", stream.ExactVersion(0), false},
		{"positive", stream.ExactVersion(42), false},
		{"minus two", stream.ExactVersion(-2), true},
		{"very negative", stream.ExactVersion(-1 << 62), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.v.Validate()
			if (err != nil) != tt.wantErr {
				t.Fatalf("Validate() = %v, want error %v", err, tt.wantErr)
			}
			var ve *stream.ValidationError
			if err != nil && (!errors.As(err, &ve) || ve.Field != "expectedVersion") {
				t.Fatalf("Validate() = %v, want an expectedVersion ValidationError", err)
			}
		})
	}
}

func TestExpectedVersionAccessors(t *testing.T) {
	t.Parallel()
	if v := stream.AnyVersion(); v.IsSet() {
		t.Error("AnyVersion().IsSet() = true")
	}
	v := stream.ExactVersion(7)
	if !v.IsSet() || v.Value() != 7 {
		t.Errorf("ExactVersion(7) = set %v value %d", v.IsSet(), v.Value())
	}
	if v := stream.ExactVersion(0); !v.IsSet() {
		t.Error("ExactVersion(0).IsSet() = false: 0 must be distinguishable from no expectation")
	}
}

func TestExpectedVersionCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		v        stream.ExpectedVersion
		actual   int64
		conflict bool
	}{
		{"any on missing stream", stream.AnyVersion(), stream.NoStream, false},
		{"any on existing stream", stream.AnyVersion(), 5, false},
		{"no stream on missing stream", stream.ExactVersion(stream.NoStream), stream.NoStream, false},
		{"no stream on existing stream", stream.ExactVersion(stream.NoStream), 0, true},
		{"exact match", stream.ExactVersion(3), 3, false},
		{"behind", stream.ExactVersion(2), 3, true},
		{"ahead", stream.ExactVersion(4), 3, true},
		{"exact on missing stream", stream.ExactVersion(0), stream.NoStream, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.v.Check("account-1", tt.actual)
			if !tt.conflict {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			var vc *stream.VersionConflictError
			if !errors.As(err, &vc) {
				t.Fatalf("Check = %v (%T), want *VersionConflictError", err, err)
			}
			if vc.Stream != "account-1" || vc.Expected != tt.v.Value() || vc.Actual != tt.actual {
				t.Errorf("conflict = %+v, want stream account-1 expected %d actual %d", *vc, tt.v.Value(), tt.actual)
			}
			if err.Error() == "" {
				t.Error("empty error message")
			}
		})
	}
}
