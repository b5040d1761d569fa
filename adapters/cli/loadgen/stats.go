package loadgen

import (
	"math"
	"slices"
	"time"
)

// summary is the latency distribution of a row.
type summary struct {
	avg, p50, p95, p99, max time.Duration
}

// summarize sorts lat in place and returns its mean and nearest-rank
// percentiles; all zero for no samples.
func summarize(lat []time.Duration) summary {
	if len(lat) == 0 {
		return summary{}
	}
	slices.Sort(lat)
	var total time.Duration
	for _, d := range lat {
		total += d
	}
	return summary{
		avg: total / time.Duration(len(lat)),
		p50: percentile(lat, 50),
		p95: percentile(lat, 95),
		p99: percentile(lat, 99),
		max: lat[len(lat)-1],
	}
}

// percentile is the nearest-rank p-th percentile of sorted: the smallest
// sample with at least p% of the samples at or below it.
func percentile(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}
