/** An application of zzq that knows no transport: it names the memtcp:// scheme and nothing else. */
module example.app {
    requires zzq.engine;

    uses zzq.api.spi.Transport;
}
