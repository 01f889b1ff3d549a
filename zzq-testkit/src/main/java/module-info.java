/**
 * Test support shared by zzq's modules (test scope only, never shipped): the buffer leak guard, and
 * {@link zzq.testkit.TestCertificates} (a test CA and certificates for TLS, made at run time). Its jar registers
 * the guard as a JUnit extension that the build auto-detects, so every test of every module runs under it.
 */
module zzq.testkit {
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires transitive org.junit.jupiter.api;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.util;

    exports zzq.testkit;

    provides org.junit.jupiter.api.extension.Extension with zzq.testkit.LeakGuard;
}
