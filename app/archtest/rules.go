package archtest

import (
	"fmt"
	"strings"
)

// Std is the pattern that matches every standard library package.
const Std = "std"

// Rule restricts what some packages of the module may import. Patterns are
// import paths; "x/..." matches x and every package below it, Std matches
// the standard library.
type Rule struct {
	Name   string   // what the rule protects, shown with each violation
	From   []string // packages the rule applies to
	Except []string // packages of From it does not apply to
	// Allowed, when not empty, is the complete list of what From may import.
	Allowed []string
	// Forbidden is what From must not import.
	Forbidden []string
	// Permits are exceptions to Forbidden: pairs of importer and import the
	// rule lets through.
	Permits []Permit
	// PermitOwnTree lets a package import what lies in its own tree despite
	// Forbidden: its subpackages, and the package a subpackage (a test
	// helper, say) belongs to. Both are one adapter, not two.
	PermitOwnTree bool
	// Transitive checks every dependency, not only direct imports.
	Transitive bool
}

// Permit lets the packages From import the packages Imports, which the
// rule's Forbidden would refuse them.
type Permit struct {
	From    []string
	Imports []string
}

// Rules are EventoDB's layering rules for the module with path module.
// Arrows point inward: cmd → app → adapters → ports → domain.
func Rules(module string) []Rule {
	m := func(rel ...string) []string {
		out := make([]string, len(rel))
		for i, r := range rel {
			out[i] = module + "/" + r
		}
		return out
	}
	return []Rule{
		{
			Name:    "the domain imports only the standard library, ports and other domain packages",
			From:    m("domain/..."),
			Allowed: append([]string{Std}, m("ports", "domain/...")...),
		},
		{
			Name:      "domain value packages (stream, partition, namespace, …) import neither ports nor domain/service",
			From:      m("domain/..."),
			Except:    m("domain/service/..."),
			Forbidden: m("ports/...", "domain/service/..."),
		},
		{
			Name:    "ports imports only the standard library and the domain",
			From:    m("ports/..."),
			Allowed: append([]string{Std}, m("domain/...")...),
		},
		{
			Name:       "the domain and ports stay free of fx, bun, mux, net/http and database/sql",
			From:       m("domain/...", "ports/..."),
			Forbidden:  []string{"go.uber.org/...", "github.com/uptrace/...", "github.com/gorilla/...", "net/http/...", "database/sql/..."},
			Transitive: true,
		},
		{
			Name:      "adapters import neither app nor cmd",
			From:      m("adapters/..."),
			Forbidden: m("app/...", "cmd/..."),
		},
		{
			// Each adapter stands alone, so it can be swapped or left out of
			// the wiring. What several share lives in a package meant to be
			// shared; a use case two adapters need lives in the domain.
			Name:          "adapters do not import one another: what several share lives in http/httpapi, storage/bunstore (for sqlite and postgres) or notify/hub, a use case in the domain",
			From:          m("adapters/..."),
			Forbidden:     m("adapters/..."),
			PermitOwnTree: true,
			Permits: []Permit{
				{From: m("adapters/..."), Imports: m("adapters/http/httpapi")},
				{From: m("adapters/storage/sqlite/...", "adapters/storage/postgres/..."), Imports: m("adapters/storage/bunstore")},
				{From: m("adapters/notify/..."), Imports: m("adapters/notify/hub")},
			},
		},
		{
			Name:      "HTTP adapters do not import storage adapters",
			From:      m("adapters/http/..."),
			Forbidden: m("adapters/storage/..."),
		},
		{
			Name: "the web console speaks only the public protocol: it imports the standard library, fx, zap and http/httpapi (for its routes)",
			From: m("adapters/http/console/..."),
			Allowed: append([]string{Std, "go.uber.org/fx", "go.uber.org/zap"},
				m("adapters/http/httpapi")...),
		},
		{
			Name:      "storage adapters do not import HTTP adapters",
			From:      m("adapters/storage/..."),
			Forbidden: m("adapters/http/..."),
		},
		{
			// It exists to run where there is no database and no C compiler.
			Name: "the memory store stays pure Go: no SQL, no bun, no database driver, no other storage adapter",
			From: m("adapters/storage/memory/..."),
			Forbidden: append([]string{"database/sql/...", "github.com/uptrace/...", "github.com/mattn/...", "github.com/jackc/..."},
				m("adapters/storage/bunstore/...", "adapters/storage/sqlite/...", "adapters/storage/postgres/...")...),
			Transitive: true,
		},
		{
			// Other Go programs import it: it must bring them next to nothing
			// (a small module graph, builds without cgo). google/uuid, pure Go
			// and dependency-free, makes its message ids.
			Name:       "the Go client depends only on the standard library, the domain and google/uuid",
			From:       m("client/..."),
			Allowed:    append([]string{Std, "github.com/google/uuid"}, m("domain/...")...),
			Transitive: true,
		},
		{
			Name:      "only cmd imports cmd",
			From:      m("..."),
			Except:    m("cmd/..."),
			Forbidden: m("cmd/..."),
		},
	}
}

// Violation is one import that breaks a rule.
type Violation struct {
	Rule    string
	Package string
	Import  string
	Direct  bool // false: a transitive dependency
}

func (v Violation) String() string {
	verb := "imports"
	if !v.Direct {
		verb = "depends on"
	}
	return fmt.Sprintf("%s %s %s: %s", v.Package, verb, v.Import, v.Rule)
}

// Check returns every violation of rules by pkgs, in package order.
func Check(pkgs []Package, rules []Rule) []Violation {
	var out []Violation
	for _, p := range pkgs {
		for _, r := range rules {
			if !matchAny(p.ImportPath, r.From) || matchAny(p.ImportPath, r.Except) {
				continue
			}
			deps := p.Imports
			if r.Transitive {
				deps = p.Deps
			}
			for _, imp := range deps {
				allowed := len(r.Allowed) == 0 || matchAny(imp, r.Allowed)
				if !allowed || (matchAny(imp, r.Forbidden) && !r.permits(p.ImportPath, imp)) {
					out = append(out, Violation{Rule: r.Name, Package: p.ImportPath, Import: imp,
						Direct: !r.Transitive || contains(p.Imports, imp)})
				}
			}
		}
	}
	return out
}

// permits reports whether r lets from import imp despite its Forbidden.
func (r Rule) permits(from, imp string) bool {
	if r.PermitOwnTree && (strings.HasPrefix(imp, from+"/") || strings.HasPrefix(from, imp+"/")) {
		return true
	}
	for _, p := range r.Permits {
		if matchAny(from, p.From) && matchAny(imp, p.Imports) {
			return true
		}
	}
	return false
}

func matchAny(path string, patterns []string) bool {
	for _, pat := range patterns {
		if match(path, pat) {
			return true
		}
	}
	return false
}

func match(path, pattern string) bool {
	if pattern == Std {
		return isStd(path)
	}
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == base || strings.HasPrefix(path, base+"/")
	}
	return path == pattern
}

// isStd reports whether path is a standard library package: its first element
// has no dot, unlike every module path this repository imports.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
