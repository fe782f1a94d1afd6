package bench

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
)

// leanClient creates pods with bodies encoded before timing, speaking
// HTTP/2 itself on its own TLS connection: each request is one write of
// its HEADERS and DATA frames, each answer is read frame by frame and its
// body is not decoded. A load generator that leaves the machine's cores to
// the server and etcd: net/http's client spends about as much per request
// as the frames and TLS themselves. Like a client-go client it sends the
// admin token and asks for the media type it sends.
type leanClient struct {
	conn  *tls.Conn
	bw    *bufio.Writer
	fr    *http2.Framer
	hbuf  bytes.Buffer
	henc  *hpack.Encoder
	host  string
	media codec

	nextStream   uint32
	sendWindow   int64  // what the connection lets us send
	streamWindow uint32 // what a stream lets us send (the server's setting)
}

// maxLeanBody is the largest body a lean client sends: HTTP/2's initial
// maximum frame size, as it sends a body in one DATA frame.
const maxLeanBody = 16 << 10

// leanWindow is the receive window the client announces: far more than a
// run's answers, so it never has to give the server more.
const leanWindow = 1<<31 - 1

// newLeanClients makes n lean clients of s speaking media type m, each on
// its own connection, warmed (TLS handshake, authentication) by one GET of
// the bench namespace.
func newLeanClients(ctx context.Context, s *apiserver, n int, m codec) ([]*leanClient, error) {
	clients := make([]*leanClient, n)
	for i := range clients {
		c, err := dialLean(ctx, s.url, m)
		if err != nil {
			return nil, fmt.Errorf("lean client %d: %w", i, err)
		}
		if _, err := c.do("GET", "/api/v1/namespaces/"+namespace, nil, 200); err != nil {
			c.close()
			return nil, fmt.Errorf("warm lean client %d: %w", i, err)
		}
		clients[i] = c
	}
	return clients, nil
}

// dialLean connects to server (https://host:port) and sets up HTTP/2.
func dialLean(ctx context.Context, server string, m codec) (*leanClient, error) {
	u, err := url.Parse(server)
	if err != nil {
		return nil, err
	}
	d := tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true, NextProtos: []string{http2.NextProtoTLS}}}
	nc, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return nil, err
	}
	conn := nc.(*tls.Conn)
	if p := conn.ConnectionState().NegotiatedProtocol; p != http2.NextProtoTLS {
		conn.Close()
		return nil, fmt.Errorf("server speaks %q, want %q", p, http2.NextProtoTLS)
	}
	c := &leanClient{conn: conn, bw: bufio.NewWriterSize(conn, 16<<10), host: u.Host, media: m, nextStream: 1, sendWindow: 65535, streamWindow: 65535}
	c.fr = http2.NewFramer(c.bw, bufio.NewReaderSize(conn, 16<<10))
	c.fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	c.henc = hpack.NewEncoder(&c.hbuf)
	if _, err := c.bw.WriteString(http2.ClientPreface); err != nil {
		return nil, err
	}
	if err := c.fr.WriteSettings(http2.Setting{ID: http2.SettingInitialWindowSize, Val: leanWindow}); err != nil {
		return nil, err
	}
	if err := c.fr.WriteWindowUpdate(0, leanWindow-65535); err != nil {
		return nil, err
	}
	if err := c.bw.Flush(); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

func (c *leanClient) close() { c.conn.Close() }

// do sends one request and reads its whole answer, which must have status
// want; it returns the answer's length. One request at a time per client.
func (c *leanClient) do(method, path string, body []byte, want int) (int, error) {
	id := c.nextStream
	c.nextStream += 2
	c.hbuf.Reset()
	for _, f := range [...][2]string{
		{":method", method}, {":scheme", "https"}, {":authority", c.host}, {":path", path},
		{"authorization", "Bearer " + adminToken}, {"accept", string(c.media)}, {"user-agent", "skiff-bench-lean"},
	} {
		c.writeField(f[0], f[1])
	}
	if body != nil {
		c.writeField("content-type", string(c.media))
		c.writeField("content-length", strconv.Itoa(len(body)))
	}
	if err := c.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: c.hbuf.Bytes(),
		EndHeaders: true, EndStream: body == nil}); err != nil {
		return 0, err
	}
	if body != nil {
		// One DATA frame: bounded by the frame size every HTTP/2 peer
		// takes (no SETTINGS_MAX_FRAME_SIZE is read) and the stream window.
		if len(body) > maxLeanBody || len(body) > int(c.streamWindow) {
			return 0, fmt.Errorf("a body of %d bytes is more than one DATA frame a stream may send (%d)", len(body), min(maxLeanBody, int(c.streamWindow)))
		}
		for c.sendWindow < int64(len(body)) { // the server has not read enough yet
			if _, _, err := c.readFrame(id); err != nil {
				return 0, err
			}
		}
		c.sendWindow -= int64(len(body))
		if err := c.fr.WriteData(id, true, body); err != nil {
			return 0, err
		}
	}
	if err := c.bw.Flush(); err != nil {
		return 0, err
	}
	return c.readAnswer(id, want)
}

func (c *leanClient) writeField(name, value string) {
	_ = c.henc.WriteField(hpack.HeaderField{Name: name, Value: value}) // writes to a bytes.Buffer
}

// readAnswer reads frames until stream id ends.
func (c *leanClient) readAnswer(id uint32, want int) (int, error) {
	status, n := 0, 0
	for {
		f, done, err := c.readFrame(id)
		if err != nil {
			return n, err
		}
		switch f := f.(type) {
		case *http2.MetaHeadersFrame:
			if status == 0 {
				if status, err = strconv.Atoi(f.PseudoValue("status")); err != nil {
					return n, fmt.Errorf("stream %d: status %q", id, f.PseudoValue("status"))
				}
			}
		case *http2.DataFrame:
			n += len(f.Data())
		}
		if done {
			break
		}
	}
	if status != want {
		return n, fmt.Errorf("status %d, want %d", status, want)
	}
	if n == 0 {
		return n, errors.New("empty answer")
	}
	return n, nil
}

// readFrame reads the next frame, handling those about the connection;
// done reports that stream id has ended.
func (c *leanClient) readFrame(id uint32) (http2.Frame, bool, error) {
	f, err := c.fr.ReadFrame()
	if err != nil {
		return nil, false, err
	}
	switch f := f.(type) {
	case *http2.SettingsFrame:
		if f.IsAck() {
			return f, false, nil
		}
		if v, ok := f.Value(http2.SettingInitialWindowSize); ok {
			c.streamWindow = v
		}
		return f, false, c.fr.WriteSettingsAck()
	case *http2.WindowUpdateFrame:
		if f.StreamID == 0 {
			c.sendWindow += int64(f.Increment)
		}
		return f, false, nil
	case *http2.PingFrame:
		if !f.IsAck() {
			err = c.fr.WritePing(true, f.Data)
		}
		return f, false, err
	case *http2.GoAwayFrame:
		return f, false, fmt.Errorf("server went away: %v", f.ErrCode)
	case *http2.RSTStreamFrame:
		return f, false, fmt.Errorf("stream %d reset: %v", f.StreamID, f.ErrCode)
	case *http2.MetaHeadersFrame:
		return f, f.StreamID == id && f.StreamEnded(), nil
	case *http2.DataFrame:
		return f, f.StreamID == id && f.StreamEnded(), nil
	}
	return f, false, nil
}

// encodePods encodes n bench pods, named as createPods names them, in
// media type m, as client-go would send them.
func encodePods(n int, m codec) ([][]byte, error) {
	info, ok := runtime.SerializerInfoForMediaType(scheme.Codecs.SupportedMediaTypes(), string(m))
	if !ok {
		return nil, fmt.Errorf("no serializer for %s", m)
	}
	enc := scheme.Codecs.EncoderForVersion(info.Serializer, corev1.SchemeGroupVersion)
	bodies := make([][]byte, n)
	for k := range bodies {
		b, err := runtime.Encode(enc, benchPod(podName(k)))
		if err != nil {
			return nil, fmt.Errorf("encode pod %d: %w", k, err)
		}
		bodies[k] = b
	}
	return bodies, nil
}

// createPodsLean is createPods with lean clients sending the pre-encoded
// bodies; every answer must be 201 Created.
func createPodsLean(ctx context.Context, clients []*leanClient, bodies [][]byte) (latencies, time.Duration, error) {
	stop := context.AfterFunc(ctx, func() {
		for _, c := range clients {
			c.conn.SetDeadline(time.Now()) // unblocks a read or write in progress
		}
	})
	defer stop()
	path := "/api/v1/namespaces/" + namespace + "/pods"
	return runAgents(ctx, len(clients), len(bodies), func(_ context.Context, agent, k int) error {
		_, err := clients[agent].do("POST", path, bodies[k], 201)
		return err
	})
}

// closeLean closes the clients' connections.
func closeLean(clients []*leanClient) {
	for _, c := range clients {
		c.close()
	}
}

// checkPodCount makes sure the bench namespace holds exactly want pods.
func checkPodCount(ctx context.Context, c kubernetes.Interface, want int) error {
	list, err := c.CoreV1().Pods(namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("list pods in %s: %w", namespace, err)
	}
	if len(list.Items) != want {
		return fmt.Errorf("%s holds %d pods, want %d", namespace, len(list.Items), want)
	}
	return nil
}
