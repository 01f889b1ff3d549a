/** A transport that is not zzq's: memtcp://NAME, a broker named in this JVM, reached over loopback TCP. */
module example.memtcp {
    requires zzq.api;

    provides zzq.api.spi.Transport with example.memtcp.MemTcpTransport;
}
