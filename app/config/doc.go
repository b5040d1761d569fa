// Package config is the EventoDB server configuration: one Config struct, its
// defaults, and Load, which layers (later wins)
//
//  1. the defaults of Default,
//  2. a YAML profile embedded from configs/ ("default" unless chosen) or a YAML
//     file, named with --config or EVENTODB_CONFIG,
//  3. EVENTODB_* environment variables,
//  4. command-line flags,
//
// rejects unknown keys naming their source, and checks the result with
// Validate. It is the only package that reads the process environment.
package config
