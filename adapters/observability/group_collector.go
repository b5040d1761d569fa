package observability

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/ports"
)

// MemberFigures are one consumer-group member's figures.
type MemberFigures struct {
	Namespace, Group string
	Member           int64
	Lag              int64 // messages of the member's share after its checkpoint
	Checkpoint       int64 // global position processed up to
}

// GroupFigures gathers members' figures of at most maxGroups groups. It is
// called at scrape time (at most once per cache period).
type GroupFigures func(ctx context.Context, maxGroups int) ([]MemberFigures, error)

// GroupLister lists a namespace's groups with their members' lag;
// *service.Groups implements it.
type GroupLister interface {
	List(ctx context.Context, ns string) ([]group.Status, error)
}

// NamespaceGroupFigures gathers the figures of every namespace's groups,
// namespaces and groups in name order, stopping after maxGroups groups.
func NamespaceGroupFigures(registry ports.NamespaceRegistry, groups GroupLister) GroupFigures {
	return func(ctx context.Context, maxGroups int) ([]MemberFigures, error) {
		recs, err := registry.List(ctx)
		if err != nil {
			return nil, err
		}
		var out []MemberFigures
		seen := 0
		for _, rec := range recs {
			if seen >= maxGroups {
				break
			}
			list, err := groups.List(ctx, rec.ID)
			if errors.Is(err, namespace.ErrNotFound) {
				continue // deleted while we looked
			}
			if err != nil {
				return nil, err
			}
			for _, st := range list[:min(len(list), maxGroups-seen)] {
				seen++
				for _, m := range st.Members {
					out = append(out, MemberFigures{Namespace: rec.ID, Group: st.Name, Member: m.Member, Lag: m.Lag, Checkpoint: m.Checkpoint})
				}
			}
		}
		return out, nil
	}
}

// GroupCollector exports eventodb_group_lag and eventodb_group_checkpoint
// {namespace, group, member}, computed when scraped. Lag queries cost a few
// reads per group (see bunstore's group_lag.go), so the figures are cached
// for a while and bounded to a number of groups. Safe for concurrent use.
type GroupCollector struct {
	figures   GroupFigures
	maxGroups int
	cacheFor  time.Duration
	timeout   time.Duration

	mu     sync.Mutex
	cached []MemberFigures
	at     time.Time // when cached was gathered; zero: never

	lag, checkpoint, up *prometheus.Desc
}

var _ prometheus.Collector = (*GroupCollector)(nil)

// GroupCollectorOptions tune a GroupCollector.
type GroupCollectorOptions struct {
	// MaxGroups bounds the groups reported (default 1000).
	MaxGroups int
	// CacheFor is how long gathered figures are served again (default 10s).
	CacheFor time.Duration
	// Timeout bounds one gathering (default 5s).
	Timeout time.Duration
}

// NewGroupCollector returns a collector of figures.
func NewGroupCollector(figures GroupFigures, opts GroupCollectorOptions) *GroupCollector {
	if opts.MaxGroups <= 0 {
		opts.MaxGroups = 1000
	}
	if opts.CacheFor <= 0 {
		opts.CacheFor = 10 * time.Second
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Second
	}
	labels := []string{"namespace", "group", "member"}
	return &GroupCollector{
		figures: figures, maxGroups: opts.MaxGroups, cacheFor: opts.CacheFor, timeout: opts.Timeout,
		lag: prometheus.NewDesc("eventodb_group_lag",
			"Messages of a durable consumer group member's share after its checkpoint.", labels, nil),
		checkpoint: prometheus.NewDesc("eventodb_group_checkpoint",
			"Global position a durable consumer group member has processed up to.", labels, nil),
		up: prometheus.NewDesc("eventodb_group_metrics_up",
			"1 when the consumer-group figures of this scrape are fresh, 0 when gathering them failed (the last figures are shown).", nil, nil),
	}
}

// Describe sends the metric descriptions.
func (c *GroupCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.lag
	ch <- c.checkpoint
	ch <- c.up
}

// Collect reports the cached figures, gathering them again when stale.
func (c *GroupCollector) Collect(ch chan<- prometheus.Metric) {
	figures, ok := c.current()
	up := 0.0
	if ok {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, up)
	for _, f := range figures {
		member := strconv.FormatInt(f.Member, 10)
		ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, float64(f.Lag), f.Namespace, f.Group, member)
		ch <- prometheus.MustNewConstMetric(c.checkpoint, prometheus.GaugeValue, float64(f.Checkpoint), f.Namespace, f.Group, member)
	}
}

// current returns the figures, gathered at most cacheFor ago when possible,
// and whether they are fresh. Scrapes arriving together wait for one
// gathering.
func (c *GroupCollector) current() ([]MemberFigures, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < c.cacheFor {
		return c.cached, true
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	figures, err := c.figures(ctx, c.maxGroups)
	if err != nil {
		return c.cached, false
	}
	c.cached, c.at = figures, time.Now()
	return figures, true
}
