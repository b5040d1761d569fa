package config

import "os"

// TestPostgresURL is the PostgreSQL URL tests of the PostgreSQL adapter run
// against (EVENTODB_TEST_PG_URL), or "" when they should be skipped. It keeps
// the process environment read in this package only.
func TestPostgresURL() string {
	return lookupEnv(os.Environ(), EnvTestPostgresURL)
}
