package namespace_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
)

func TestValidateID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id      string
		wantErr bool
	}{
		{"default", false},
		{"a", false},
		{"7", false},
		{"tenant-1", false},
		{"Tenant_A-b", false},
		{strings.Repeat("x", namespace.MaxIDLength), false},
		{"", true},
		{strings.Repeat("x", namespace.MaxIDLength+1), true},
		{"-tenant", true},
		{"_tenant", true},
		{"ten ant", true},
		{"ten.ant", true},
		{"ten/ant", true},
		{"tenant\n", true},
		{"ténant", true},
		{"ns;drop", true},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			err := namespace.ValidateID(tt.id)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ValidateID(%q) = %v, want error %v", tt.id, err, tt.wantErr)
			}
			var ve *stream.ValidationError
			if err != nil && (!errors.As(err, &ve) || ve.Field != "namespaceId") {
				t.Errorf("ValidateID(%q) = %v, want a namespaceId ValidationError", tt.id, err)
			}
		})
	}
}

func TestNotFoundAndExistsErrors(t *testing.T) {
	t.Parallel()
	nf := namespace.NotFoundError("tenant-1")
	if !errors.Is(nf, namespace.ErrNotFound) || !strings.Contains(nf.Error(), "tenant-1") {
		t.Errorf("NotFoundError = %v, want ErrNotFound naming tenant-1", nf)
	}
	ex := namespace.ExistsError("tenant-1")
	if !errors.Is(ex, namespace.ErrExists) || !strings.Contains(ex.Error(), "tenant-1") {
		t.Errorf("ExistsError = %v, want ErrExists naming tenant-1", ex)
	}
	if errors.Is(nf, namespace.ErrExists) || errors.Is(ex, namespace.ErrNotFound) {
		t.Error("ErrNotFound and ErrExists are confused")
	}
}
