// Package app is the EventoDB composition root: it picks adapters by name
// from an explicit registry and wires them with go.uber.org/fx.
package app

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"go.uber.org/fx"

	"github.com/eventodb/eventodb/app/config"
)

// StorageFactory builds the fx options of one storage adapter (its
// constructors, its ports.Storage binding and lifecycle hooks) for cfg.
type StorageFactory func(cfg config.Config) fx.Option

// builtinStorage lists the storage adapters compiled into the server, by the
// names config.Config.Backend returns. The composition root fills it.
func builtinStorage() map[string]StorageFactory {
	return map[string]StorageFactory{
		config.BackendSQLite:   sqliteStorage,
		config.BackendPostgres: postgresStorage,
		config.BackendMemory:   memoryStorage,
	}
}

// Registry maps adapter names to their factories. It is consulted before
// fx.New, so a misconfigured backend fails early with the list of choices.
// A Registry is not safe for concurrent registration; fill it, then read it.
type Registry struct {
	storage map[string]StorageFactory
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{storage: map[string]StorageFactory{}}
}

// NewBuiltinRegistry returns a registry holding the adapters compiled into
// the server.
func NewBuiltinRegistry() *Registry {
	return &Registry{storage: builtinStorage()}
}

// ErrAdapterRegistration is a RegisterStorage call with an empty name, a nil
// factory, or a name already taken.
var ErrAdapterRegistration = errors.New("invalid adapter registration")

// RegisterStorage adds a storage adapter under name.
func (r *Registry) RegisterStorage(name string, f StorageFactory) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: empty storage adapter name", ErrAdapterRegistration)
	case f == nil:
		return fmt.Errorf("%w: nil factory for storage adapter %q", ErrAdapterRegistration, name)
	}
	if _, taken := r.storage[name]; taken {
		return fmt.Errorf("%w: storage adapter %q is already registered", ErrAdapterRegistration, name)
	}
	r.storage[name] = f
	return nil
}

// LookupStorage returns the storage adapter registered under name, or an
// *UnknownAdapterError listing the available names.
func (r *Registry) LookupStorage(name string) (StorageFactory, error) {
	f, ok := r.storage[name]
	if !ok {
		return nil, &UnknownAdapterError{Kind: "storage", Name: name, Available: r.StorageNames()}
	}
	return f, nil
}

// StorageNames lists the registered storage adapters, sorted.
func (r *Registry) StorageNames() []string {
	names := make([]string, 0, len(r.storage))
	for name := range r.storage {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// UnknownAdapterError is a lookup of an adapter name nobody registered.
type UnknownAdapterError struct {
	Kind      string   // "storage"
	Name      string   // the name asked for
	Available []string // the registered names, sorted
}

func (e *UnknownAdapterError) Error() string {
	available := "none are registered"
	if len(e.Available) > 0 {
		available = "available: " + strings.Join(e.Available, ", ")
	}
	return fmt.Sprintf("unknown %s adapter %q (%s)", e.Kind, e.Name, available)
}
