package app_test

import (
	"errors"
	"slices"
	"testing"

	"go.uber.org/fx"

	"github.com/eventodb/eventodb/app"
	"github.com/eventodb/eventodb/app/config"
)

func fakeStorage(config.Config) fx.Option { return fx.Options() }

func TestLookupStorage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		register      []string
		lookup        string
		wantErr       string
		wantAvailable []string
	}{
		{name: "registered", register: []string{"sqlite", "postgres"}, lookup: "postgres"},
		{
			name:          "unknown lists the available names sorted",
			register:      []string{"sqlite", "postgres", "memory"},
			lookup:        "mysql",
			wantErr:       `unknown storage adapter "mysql" (available: memory, postgres, sqlite)`,
			wantAvailable: []string{"memory", "postgres", "sqlite"},
		},
		{
			name:    "empty name",
			lookup:  "",
			wantErr: `unknown storage adapter "" (none are registered)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := app.NewRegistry()
			for _, name := range tt.register {
				if err := r.RegisterStorage(name, fakeStorage); err != nil {
					t.Fatal(err)
				}
			}
			f, err := r.LookupStorage(tt.lookup)
			if tt.wantErr == "" {
				if err != nil || f == nil {
					t.Fatalf("LookupStorage(%q) = %v, %v", tt.lookup, f, err)
				}
				return
			}
			var unknown *app.UnknownAdapterError
			if !errors.As(err, &unknown) {
				t.Fatalf("LookupStorage(%q) error = %v, want *UnknownAdapterError", tt.lookup, err)
			}
			if err.Error() != tt.wantErr {
				t.Errorf("error %q, want %q", err, tt.wantErr)
			}
			if !slices.Equal(unknown.Available, tt.wantAvailable) {
				t.Errorf("Available = %v, want %v", unknown.Available, tt.wantAvailable)
			}
		})
	}
}

func TestRegisterStorageRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		adapter string
		factory app.StorageFactory
	}{
		{name: "empty name", adapter: "", factory: fakeStorage},
		{name: "nil factory", adapter: "memory", factory: nil},
		{name: "duplicate", adapter: "dup", factory: fakeStorage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := app.NewRegistry()
			if err := r.RegisterStorage("dup", fakeStorage); err != nil {
				t.Fatal(err)
			}
			err := r.RegisterStorage(tt.adapter, tt.factory)
			if !errors.Is(err, app.ErrAdapterRegistration) {
				t.Errorf("RegisterStorage(%q) = %v, want ErrAdapterRegistration", tt.adapter, err)
			}
		})
	}
}
