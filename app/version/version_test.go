package version_test

import (
	"regexp"
	"testing"

	"github.com/eventodb/eventodb/app/version"
)

func TestCurrentIsSemver(t *testing.T) {
	t.Parallel()
	semver := regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)
	for _, v := range []string{version.Version, version.Current()} {
		if !semver.MatchString(v) {
			t.Errorf("version %q is not semver", v)
		}
	}
	if version.Current() != version.Version {
		t.Errorf("Current() = %q without a linker stamp, want %q", version.Current(), version.Version)
	}
}
