package app

import (
	"runtime/debug"
	"testing"
)

func TestSetGCPercentAppliesTheConfiguredTarget(t *testing.T) {
	t.Setenv("GOGC", "")
	before := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(before) })

	if got := setGCPercent(400); got != "400" {
		t.Errorf("setGCPercent(400) reports %q, want 400", got)
	}
	if now := debug.SetGCPercent(100); now != 400 {
		t.Errorf("the collector's target is %d after setGCPercent(400), want 400", now)
	}
}

func TestSetGCPercentLeavesGOGCAlone(t *testing.T) {
	t.Setenv("GOGC", "150")
	before := debug.SetGCPercent(150) // as the runtime did from GOGC at start
	t.Cleanup(func() { debug.SetGCPercent(before) })

	if got := setGCPercent(400); got != "150 (GOGC)" {
		t.Errorf("setGCPercent(400) with GOGC=150 reports %q, want \"150 (GOGC)\"", got)
	}
	if now := debug.SetGCPercent(150); now != 150 {
		t.Errorf("the collector's target is %d with GOGC=150, want 150", now)
	}
}
