package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/domain/planner"
	"github.com/eventodb/eventodb/ports"
)

// An append pipe is a connection that speaks PostgreSQL's extended protocol
// directly, so the next batch can be written to the socket while the
// previous one's answer is still awaited: pgx's connections allow one
// operation at a time, and its pipeline mode one goroutine. A batch is
// Bind/Execute of the append lock, Bind/Execute of the conditional append
// (appendIfText) and Sync: one implicit transaction, committed before
// PostgreSQL answers ReadyForQuery. An error ends only its own batch;
// PostgreSQL skips to that batch's Sync and runs the next.

var _ bunstore.PipelinedAppender = (*backend)(nil)

// pipeTimeout bounds how long a pipe waits for PostgreSQL's next answer
// while batches are unanswered: the group commit's transaction timeout.
const pipeTimeout = 30 * time.Second

// maxPipeStatements is how many namespaces' append statements a pipe keeps
// prepared (the least recently used is closed to make room).
const maxPipeStatements = 64

// lockStatement is the name of the prepared append lock on every pipe.
const lockStatement = "eventodb_append_lock"

// appendIfOIDs are the types of appendIfText's parameters (appendIfArgs).
var appendIfOIDs = []uint32{
	pgtype.Int8OID, pgtype.TextArrayOID, pgtype.Int8ArrayOID, // the condition
	pgtype.Int8ArrayOID, pgtype.Int8ArrayOID, pgtype.TextArrayOID, pgtype.TextArrayOID, pgtype.TextArrayOID, // rows
	pgtype.TextArrayOID, pgtype.TextArrayOID, pgtype.TextArrayOID, pgtype.Int8ArrayOID, pgtype.Int8ArrayOID, pgtype.TextArrayOID,
	pgtype.TextArrayOID, pgtype.TextArrayOID, pgtype.Int8ArrayOID, pgtype.Int8ArrayOID, pgtype.Int8ArrayOID, // streams
}

// appendConns is how many pipes a node keeps for a main pool of maxConns: a
// namespace with appends in flight holds one.
func appendConns(maxConns int) int { return max(2, maxConns/4) }

// AcquirePipe takes an idle pipe or connects a new one, up to appendConns.
func (b *backend) AcquirePipe(ctx context.Context) (bunstore.AppendPipe, error) {
	return b.pipes.acquire(ctx)
}

// pipePool keeps the node's pipes.
type pipePool struct {
	connect  func(ctx context.Context) (*pipe, error)
	lifetime time.Duration
	slots    chan struct{} // one per open pipe
	idle     chan *pipe
	waiting  atomic.Int32 // acquires waiting for a pipe
	closed   atomic.Bool  // the backend closed: released pipes are closed too
}

func newPipePool(size int, lifetime time.Duration, connect func(ctx context.Context) (*pipe, error)) *pipePool {
	return &pipePool{connect: connect, lifetime: lifetime, slots: make(chan struct{}, size), idle: make(chan *pipe, size)}
}

func (p *pipePool) acquire(ctx context.Context) (*pipe, error) {
	for {
		c, err := p.take(ctx)
		if err != nil || c.usable(p.lifetime) {
			return c, err
		}
		c.discard()
	}
}

// take returns an idle pipe, a new one, or, when every slot is in use, the
// next one released.
func (p *pipePool) take(ctx context.Context) (*pipe, error) {
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	select {
	case p.slots <- struct{}{}:
		return p.open(ctx)
	default:
	}
	p.waiting.Add(1)
	defer p.waiting.Add(-1)
	select {
	case c := <-p.idle:
		return c, nil
	case p.slots <- struct{}{}:
		return p.open(ctx)
	case <-ctx.Done():
		return nil, fmt.Errorf("append: no connection free: %w", ctx.Err())
	}
}

// open connects a pipe in a slot just taken.
func (p *pipePool) open(ctx context.Context) (*pipe, error) {
	c, err := p.connect(ctx)
	if err != nil {
		<-p.slots
		return nil, err
	}
	c.pool = p
	return c, nil
}

// close closes the idle pipes; the others are closed on release.
func (p *pipePool) close() {
	p.closed.Store(true)
	for {
		select {
		case c := <-p.idle:
			c.discard()
		default:
			return
		}
	}
}

// connectPipe opens a connection with the node's settings, prepares the
// append lock and takes the connection over from pgconn.
func (b *backend) connectPipe(ctx context.Context) (*pipe, error) {
	pc, err := pgconn.ConnectConfig(ctx, &b.connCfg.Config)
	if err != nil {
		return nil, fmt.Errorf("append: %w", err)
	}
	if _, err := pc.Prepare(ctx, lockStatement, "SELECT pg_advisory_xact_lock($1)", []uint32{pgtype.Int8OID}); err != nil {
		_ = pc.Close(ctx)
		return nil, fmt.Errorf("append: %w", err)
	}
	if err := pc.SyncConn(ctx); err != nil {
		_ = pc.Close(ctx)
		return nil, fmt.Errorf("append: %w", err)
	}
	hc, err := pc.Hijack()
	if err != nil {
		_ = pc.Close(ctx)
		return nil, fmt.Errorf("append: %w", err)
	}
	c := &pipe{
		conn:          hc.Conn,
		in:            pgproto3.NewFrontend(hc.Conn, nil), // read by c.read only; nothing is sent through it
		types:         pgtype.NewMap(),
		statements:    map[string]*pipeStatement{},
		maxStatements: maxPipeStatements,
		born:          time.Now(),
	}
	go c.read()
	return c, nil
}

// pipe is one connection carrying appends. Send runs on one goroutine at a
// time (the holder: a namespace's writer, under its transaction lock); read
// runs on the pipe's own goroutine and answers the batches in order.
type pipe struct {
	pool *pipePool
	conn net.Conn
	in   *pgproto3.Frontend
	born time.Time

	// Send's: held through it, as its answer can release the pipe to a
	// new holder before it returns.
	sending sync.Mutex
	types   *pgtype.Map
	params  [][]byte
	out     []byte
	named   int // statements prepared so far, for unique names

	mu            sync.Mutex
	statements    map[string]*pipeStatement // messages table -> its append statement
	maxStatements int                       // statements kept prepared (evict)
	uses          int64                     // batches encoded, a clock for pipeStatement.used
	pending       []*pipeCall               // sent, unanswered, in order
	err           error                     // the connection broke: every later Send fails with it
}

// pipeStatement is a namespace's append statement prepared on a pipe.
type pipeStatement struct {
	name string
	used int64 // the pipe's uses when a batch last used it
}

// pipeCall is one batch in flight.
type pipeCall struct {
	done               func(held bool, err error)
	parsed, parsedName string // messages table and name of the statement this batch prepared, if any
}

// Send writes the batch to the connection, preparing the namespace's
// statement first on this connection's first batch of it.
func (c *pipe) Send(ns *bunstore.Namespace, cond bunstore.AppendCondition, rows []planner.Row, streams []*planner.StreamRow, done func(held bool, err error)) {
	c.sending.Lock()
	defer c.sending.Unlock()
	call := &pipeCall{done: done}
	msg, err := c.batch(ns, call, cond, rows, streams)
	c.mu.Lock()
	if c.err != nil {
		err = c.err
	}
	if err != nil {
		c.mu.Unlock()
		done(false, err)
		return
	}
	c.pending = append(c.pending, call)
	if len(c.pending) == 1 {
		_ = c.conn.SetReadDeadline(time.Now().Add(pipeTimeout))
	}
	c.mu.Unlock()
	_ = c.conn.SetWriteDeadline(time.Now().Add(pipeTimeout))
	if _, err := c.conn.Write(msg); err != nil {
		// read sees the connection closed and fails every unanswered batch.
		_ = c.conn.Close()
	}
	if cap(c.out) > maxKeptBuffer {
		c.out, c.params = nil, nil // a huge batch's buffers are not kept
	}
}

// maxKeptBuffer is the largest encoded batch whose buffer a pipe keeps.
const maxKeptBuffer = 1 << 20

// batch encodes one batch's messages into c.out.
func (c *pipe) batch(ns *bunstore.Namespace, call *pipeCall, cond bunstore.AppendCondition, rows []planner.Row, streams []*planner.StreamRow) ([]byte, error) {
	out := c.out[:0]
	var err error
	var name string
	c.mu.Lock()
	st, ok := c.statements[ns.Messages]
	if ok {
		c.uses++
		st.used, name = c.uses, st.name
	}
	c.mu.Unlock()
	if !ok {
		if out, err = c.evict(out); err != nil {
			return nil, err
		}
		c.named++
		name = "eventodb_append_" + strconv.Itoa(c.named)
		if out, err = (&pgproto3.Parse{Name: name, Query: appendIfText(ns), ParameterOIDs: appendIfOIDs}).Encode(out); err != nil {
			return nil, err
		}
	}
	key, err := c.types.Encode(pgtype.Int8OID, pgtype.BinaryFormatCode, appendKey(ns.ID), nil)
	if err != nil {
		return nil, err
	}
	if out, err = (&pgproto3.Bind{PreparedStatement: lockStatement, ParameterFormatCodes: binary, Parameters: [][]byte{key}}).Encode(out); err != nil {
		return nil, err
	}
	if out, err = (&pgproto3.Execute{}).Encode(out); err != nil {
		return nil, err
	}
	args := appendIfArgs(cond, rows, streams)
	if len(c.params) < len(args) {
		c.params = make([][]byte, len(args))
	}
	for i, a := range args {
		if c.params[i], err = c.types.Encode(appendIfOIDs[i], pgtype.BinaryFormatCode, a, c.params[i][:0]); err != nil {
			return nil, fmt.Errorf("append: parameter %d: %w", i+1, err)
		}
	}
	if out, err = (&pgproto3.Bind{PreparedStatement: name, ParameterFormatCodes: binary, Parameters: c.params[:len(args)], ResultFormatCodes: binary}).Encode(out); err != nil {
		return nil, err
	}
	if out, err = (&pgproto3.Execute{}).Encode(out); err != nil {
		return nil, err
	}
	if out, err = (&pgproto3.Sync{}).Encode(out); err != nil {
		return nil, err
	}
	if !ok { // the batches behind this one use the statement it prepares
		c.mu.Lock()
		c.uses++
		c.statements[ns.Messages] = &pipeStatement{name: name, used: c.uses}
		c.mu.Unlock()
		call.parsed, call.parsedName = ns.Messages, name
	}
	c.out = out
	return out, nil
}

// evict appends to out the Close of the least recently used statement when
// the pipe holds maxStatements: each costs PostgreSQL memory for its plan,
// and a pipe may serve many namespaces over its life. Batches sent before
// have used it by the time PostgreSQL closes it; those after prepare again.
func (c *pipe) evict(out []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.statements) < c.maxStatements {
		return out, nil
	}
	var oldest string
	for table, st := range c.statements {
		if oldest == "" || st.used < c.statements[oldest].used {
			oldest = table
		}
	}
	name := c.statements[oldest].name
	delete(c.statements, oldest)
	return (&pgproto3.Close{ObjectType: 'S', Name: name}).Encode(out)
}

// binary asks for every parameter (or result) in binary format.
var binary = []int16{pgtype.BinaryFormatCode}

// read answers the batches in the order they were sent, until the
// connection breaks; then it fails those left.
func (c *pipe) read() {
	for {
		held, err := c.answer()
		var pgErr *pgconn.PgError
		if err != nil && (!errors.As(err, &pgErr) || ends(pgErr)) {
			c.fail(err)
			return
		}
		c.mu.Lock()
		if len(c.pending) == 0 {
			c.mu.Unlock()
			c.fail(errors.New("PostgreSQL answered a batch that was not sent"))
			return
		}
		call := c.pending[0]
		c.pending = c.pending[1:]
		if st := c.statements[call.parsed]; err != nil && st != nil && st.name == call.parsedName {
			delete(c.statements, call.parsed) // perhaps never prepared: prepare it again
		}
		if len(c.pending) > 0 {
			_ = c.conn.SetReadDeadline(time.Now().Add(pipeTimeout))
		} else {
			_ = c.conn.SetReadDeadline(time.Time{})
		}
		c.mu.Unlock()
		switch {
		case pgErr != nil && (pgErr.Code == uniqueViolation || pgErr.Code == undefinedStatement):
			// An id the plan took for new is stored, or a row took a
			// position the plan did not expect to be taken; or the batch
			// was sent behind a failed preparation: the long path sorts
			// it out.
			held, err = false, nil
		case err != nil:
			err = fmt.Errorf("append: %w", err)
		}
		call.done(held, err)
	}
}

// undefinedStatement is SQLSTATE invalid_sql_statement_name.
const undefinedStatement = "26000"

// answer reads one batch's answer up to its ReadyForQuery. held is the
// conditional append's result; err is the batch's error (a *pgconn.PgError)
// or the connection's.
func (c *pipe) answer() (held bool, err error) {
	rows := 0
	for {
		msg, rerr := c.in.Receive()
		if rerr != nil {
			return false, rerr
		}
		switch m := msg.(type) {
		case *pgproto3.DataRow:
			rows++ // the lock's row, then the append's
			if rows == 2 && len(m.Values) == 1 && len(m.Values[0]) == 1 {
				held = m.Values[0][0] == 1
			}
		case *pgproto3.ErrorResponse:
			pgErr := pgconn.ErrorResponseToPgError(m)
			if ends(pgErr) {
				return false, pgErr
			}
			if err == nil {
				err = pgErr
			}
		case *pgproto3.ReadyForQuery:
			return held && err == nil, err
		}
		// Parse/BindComplete, CommandComplete, notices and parameter
		// statuses need nothing.
	}
}

// ends reports whether PostgreSQL ends the connection after this error (it
// may come while no batch is in flight: pg_terminate_backend, a shutdown).
func ends(err *pgconn.PgError) bool { return err.Severity == "FATAL" || err.Severity == "PANIC" }

// fail closes the connection and fails every batch still unanswered with
// err, in order. Later sends fail at once. Whatever the cause, the batches'
// outcome is unknown and the database unreachable on this connection.
func (c *pipe) fail(err error) {
	err = fmt.Errorf("%w: append: connection lost: %w", ports.ErrUnavailable, err)
	c.mu.Lock()
	c.err = err
	calls := c.pending
	c.pending = nil
	c.mu.Unlock()
	_ = c.conn.Close()
	for _, call := range calls {
		call.done(false, err)
	}
}

// usable reports whether an idle pipe can carry batches: not broken and not
// older than lifetime.
func (c *pipe) usable(lifetime time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err == nil && (lifetime <= 0 || time.Since(c.born) < lifetime)
}

// Contended: another namespace waits for a pipe.
func (c *pipe) Contended() bool { return c.pool.waiting.Load() > 0 }

// Release gives the pipe back to its pool, or closes it when it broke, is
// past its lifetime or the pool was closed.
func (c *pipe) Release() {
	if c.pool.closed.Load() || !c.usable(c.pool.lifetime) {
		c.discard()
		return
	}
	c.pool.idle <- c
}

// discard closes the pipe and frees its slot.
func (c *pipe) discard() {
	_ = c.conn.Close()
	<-c.pool.slots
}
