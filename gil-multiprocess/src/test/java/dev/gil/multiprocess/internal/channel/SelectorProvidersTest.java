package dev.gil.multiprocess.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectorProvidersTest {
    @Test
    void aChildIsToldTheProviderThisJvmUses() {
        assertThat(SelectorProviders.sameAsOurs(List.of("-Xmx64m")))
                .containsExactly("-Djava.nio.channels.spi.SelectorProvider="
                        + SelectorProvider.provider().getClass().getName());
    }

    @Test
    void aChildWhoseOptionsNameAProviderKeepsIt() {
        assertThat(SelectorProviders.sameAsOurs(List.of("-Djava.nio.channels.spi.SelectorProvider=com.example.Mine")))
                .isEmpty();
    }
}
