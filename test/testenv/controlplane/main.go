// Command controlplane runs etcd in-process and a real kube-apiserver beside it,
// for the production-fixer test environment. It is started by the TypeScript
// helper in test/testenv/cluster.ts, which prepares certificates, tokens and
// ports and passes the kube-apiserver flags after "--".
package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	fs := flag.NewFlagSet("controlplane", flag.ExitOnError)
	dataDir := fs.String("etcd-data-dir", "", "directory for etcd data (required)")
	clientPort := fs.Int("etcd-client-port", 0, "etcd client port on 127.0.0.1 (required)")
	peerPort := fs.Int("etcd-peer-port", 0, "etcd peer port on 127.0.0.1 (required)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		fail("could not parse flags", err)
	}
	if *dataDir == "" || *clientPort == 0 || *peerPort == 0 {
		fail("missing flags", fmt.Errorf("--etcd-data-dir, --etcd-client-port and --etcd-peer-port are required"))
	}

	etcd := startEtcd(*dataDir, *clientPort, *peerPort)
	defer etcd.Close()

	cmd := app.NewAPIServerCommand()
	cmd.SetArgs(append(fs.Args(), fmt.Sprintf("--etcd-servers=http://127.0.0.1:%d", *clientPort)))

	// Stop etcd when the apiserver returns or the parent asks us to stop.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sigs
		stopEtcd(etcd)
		os.Exit(0)
	}()
	// If the parent dies without signalling us, exit too (no stray processes).
	go watchParent()

	if err := cmd.Execute(); err != nil {
		fail("kube-apiserver exited", err)
	}
}

func startEtcd(dir string, clientPort, peerPort int) *embed.Etcd {
	cfg := embed.NewConfig()
	cfg.Dir = dir
	cfg.LogLevel = "error"
	client := mustURL(fmt.Sprintf("http://127.0.0.1:%d", clientPort))
	peer := mustURL(fmt.Sprintf("http://127.0.0.1:%d", peerPort))
	cfg.ListenClientUrls = []url.URL{client}
	cfg.AdvertiseClientUrls = []url.URL{client}
	cfg.ListenPeerUrls = []url.URL{peer}
	cfg.AdvertisePeerUrls = []url.URL{peer}
	cfg.InitialCluster = cfg.Name + "=" + peer.String()
	// A test cluster holds little data; keep the backend small and fsync-light.
	cfg.UnsafeNoFsync = true
	cfg.QuotaBackendBytes = 2 << 30

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		fail("could not start etcd", err)
	}
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(60 * time.Second):
		e.Close()
		fail("etcd did not become ready", fmt.Errorf("timeout after 60s"))
	}
	return e
}

// stopEtcd stops the etcd server (committing its backend) without waiting for the
// apiserver's open gRPC streams to drain, which embed.Etcd.Close does for seconds.
// The WAL already holds every acknowledged write, so a restart sees all data.
func stopEtcd(e *embed.Etcd) {
	done := make(chan struct{})
	go func() {
		e.Server.HardStop()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
}

func watchParent() {
	parent := os.Getppid()
	for range time.Tick(500 * time.Millisecond) {
		if os.Getppid() != parent {
			os.Exit(0)
		}
	}
}

func mustURL(s string) url.URL {
	u, err := url.Parse(s)
	if err != nil {
		fail("bad url "+s, err)
	}
	return *u
}

func fail(what string, err error) {
	fmt.Fprintf(os.Stderr, "controlplane: %s: %v\n", what, err)
	os.Exit(1)
}
