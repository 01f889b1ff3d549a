package zzq.engine.broker;

import zzq.api.spi.Connection;
import zzq.api.spi.PacketHandler;
import zzq.api.spi.Routing;
import zzq.engine.BrokerOptions;
import zzq.engine.BrokerStatistics;
import zzq.engine.core.Engine;

/** The broker role (being built). */
public final class BrokerRouting implements Routing {
    public BrokerRouting(Engine engine, BrokerOptions options) {
    }

    @Override
    public PacketHandler accepted(Connection connection) {
        throw new UnsupportedOperationException("not yet");
    }

    public BrokerStatistics statistics() {
        return new BrokerStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void close() {
    }
}
