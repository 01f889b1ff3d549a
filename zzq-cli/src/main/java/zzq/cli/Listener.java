package zzq.cli;

import zzq.api.spi.TransportOptions;

/**
 * One endpoint the broker listens on, from a {@code --bind} flag or a {@code listener} section.
 *
 * @param url     the endpoint URL, checked to parse ({@code mqtts://0.0.0.0:8883})
 * @param options its transport's options: the TLS settings of a TLS listener, {@link TransportOptions#NONE} otherwise
 */
record Listener(String url, TransportOptions options) {
}
