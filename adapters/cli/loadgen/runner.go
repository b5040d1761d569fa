package loadgen

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/eventodb/eventodb/client"
)

// Runner runs a Config against a server. Use it for one run at a time.
type Runner struct {
	cfg    Config
	base   *url.URL
	client *client.Client
	work   *workload
	cpu    *cpuProbe

	streamReady, categoryReady bool // pre-filled already
}

// New checks cfg and returns its runner; an invalid field is a
// *ConfigError.
func New(cfg Config) (*Runner, error) {
	base, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	if cfg.RunID == "" {
		if cfg.RunID, err = newRunID(); err != nil {
			return nil, err
		}
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = newHTTPClient(cfg.Concurrency, cfg.RequestTimeout)
	}
	c, err := newClient(base, cfg.Token, hc)
	if err != nil {
		return nil, err
	}
	return &Runner{cfg: cfg, base: base, client: c, work: newWorkload(cfg.RunID, cfg.Batch),
		cpu: newCPUProbe(base, hc, cfg.RequestTimeout)}, nil
}

// RunID returns the id that names the run's streams.
func (r *Runner) RunID() string { return r.cfg.RunID }

// Run measures every row of the scenario in turn. It fails with an
// *UnreachableError when the server does not answer at all, a
// *RefusedError when it refuses the token, a *SetupError when the data of a
// read row cannot be written; when ctx ends it returns the rows measured so
// far with ctx's error. Failed requests during a row are not an error:
// they are counted in the row.
func (r *Runner) Run(ctx context.Context) (*Report, error) {
	rep := &Report{
		RunID:    r.cfg.RunID,
		URL:      redact(r.base),
		Scenario: r.cfg.Scenario,
		Requests: r.cfg.Requests,
		Duration: r.cfg.Duration,
		Batch:    r.cfg.Batch,
	}
	version, err := r.preflight(ctx)
	if err != nil {
		return rep, err
	}
	rep.ServerVersion = version
	for _, spec := range plan(r.cfg.Scenario, r.cfg.Concurrency) {
		name := spec.name(r.cfg.Batch)
		if err := r.prepare(ctx, spec.op); err != nil {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			return rep, &SetupError{Row: name, Err: err}
		}
		row := r.measure(ctx, spec)
		if ctx.Err() != nil {
			return rep, ctx.Err() // an interrupted row measures nothing
		}
		rep.Rows = append(rep.Rows, row)
		if r.cfg.OnRow != nil {
			r.cfg.OnRow(row)
		}
	}
	return rep, nil
}

// preflight asks the server's version: it tells whether the server is
// there and takes the token before any load is sent. A server that answers
// otherwise (no sys.version, rate limited) is measured anyway.
func (r *Runner) preflight(ctx context.Context) (string, error) {
	version, err := r.client.ServerVersion(ctx)
	var re *client.Error
	switch {
	case err == nil:
		return version, nil
	case ctx.Err() != nil:
		return "", ctx.Err()
	case !errors.As(err, &re):
		// No answer, or one that is not the protocol's.
		return "", &UnreachableError{URL: redact(r.base), Err: err}
	case re.Status == http.StatusUnauthorized || re.Status == http.StatusForbidden:
		return "", &RefusedError{URL: redact(r.base), Err: remoteError(re)}
	}
	return "", nil
}
