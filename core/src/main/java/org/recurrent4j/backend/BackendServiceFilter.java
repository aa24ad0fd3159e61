package org.recurrent4j.backend;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;

/**
 * A class loader that shows ND4J exactly one backend. ND4J reads its backend priorities from environment variables
 * once, and a running JVM cannot set those; but ND4J finds its backends through {@code ServiceLoader} on the class
 * loader held by {@code ND4JClassLoading}, so a loader whose service file names one backend makes the choice
 * in-process. Everything else is delegated to the parent unchanged.
 */
final class BackendServiceFilter extends ClassLoader {

    static final String SERVICE_FILE = "META-INF/services/org.nd4j.linalg.factory.Nd4jBackend";

    private final URL serviceUrl;

    BackendServiceFilter(ClassLoader parent, String backendClass) {
        super(parent);
        byte[] content = (backendClass + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            serviceUrl = new URL(null, "recurrent4j-backend:" + backendClass, new URLStreamHandler() {
                @Override
                protected URLConnection openConnection(URL u) {
                    return new URLConnection(u) {
                        @Override
                        public void connect() {
                        }

                        @Override
                        public InputStream getInputStream() {
                            return new ByteArrayInputStream(content);
                        }
                    };
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public URL getResource(String name) {
        return SERVICE_FILE.equals(name) ? serviceUrl : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return SERVICE_FILE.equals(name) ? Collections.enumeration(java.util.List.of(serviceUrl))
                : super.getResources(name);
    }
}
