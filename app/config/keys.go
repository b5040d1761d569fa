package config

import (
	"reflect"
	"sort"
	"strings"
	"time"
)

// EnvPrefix starts every environment variable the server reads.
const EnvPrefix = "EVENTODB_"

// EnvConfig names the YAML profile or file to load, like --config.
const EnvConfig = EnvPrefix + "CONFIG"

// EnvTestPostgresURL is the PostgreSQL database the Go tests of the
// PostgreSQL adapter use; they are skipped when it is unset.
const EnvTestPostgresURL = EnvPrefix + "TEST_PG_URL"

// Keys returns every configuration key, sorted. They are the koanf tags of
// Config's fields.
func Keys() []string {
	types := fieldTypes()
	keys := make([]string, 0, len(types))
	for k := range types {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// EnvVar is the environment variable that sets key: EVENTODB_ and the key in
// upper case.
func EnvVar(key string) string { return EnvPrefix + strings.ToUpper(key) }

// fieldTypes maps each key to the type of its Config field.
func fieldTypes() map[string]reflect.Type {
	t := reflect.TypeFor[Config]()
	types := make(map[string]reflect.Type, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if key := f.Tag.Get("koanf"); key != "" {
			types[key] = f.Type
		}
	}
	return types
}

// expectation says, for an error message, what a value of type t looks like.
func expectation(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[time.Duration]():
		return "a duration such as 30s, 1m30s or 2h"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "a whole number"
	default:
		return "a " + t.Kind().String()
	}
}
