package com.edgeinventory.testing;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension for {@code *IT} tests: one local AWS endpoint per test JVM, reset before each test class,
 * injected as a {@link LocalAws} parameter into constructors, lifecycle methods and tests.
 *
 * <pre>{@code
 * @ExtendWith(LocalAwsExtension.class)
 * class ProductUploadIT {
 *     @BeforeAll
 *     static void provision(LocalAws aws) { stack = aws.provision(Map.of()); }
 * }
 * }</pre>
 *
 * <p>The backend is moto ({@code moto_server} child process) unless {@code EDGE_TEST_BACKEND=localstack}, which
 * starts LocalStack with Testcontainers (needs Docker). If moto_server is missing, tests fail with how to get it.
 * Reset wipes everything, so test classes using this extension must not run concurrently.
 */
public final class LocalAwsExtension implements BeforeAllCallback, ParameterResolver {

    /** Environment variable selecting the backend: {@code moto} (default) or {@code localstack}. */
    public static final String BACKEND_VARIABLE = "EDGE_TEST_BACKEND";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            LocalAwsExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        LocalAwsBackend backend = backend(context);
        boolean nested = context.getTestClass().map(c -> c.isAnnotationPresent(Nested.class)).orElse(false);
        if (!nested) {
            backend.reset();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LocalAws.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return backend(extensionContext).localAws();
    }

    private static LocalAwsBackend backend(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(LocalAwsBackend.class, key -> LocalAwsBackend.start(System.getenv(
                        BACKEND_VARIABLE)), LocalAwsBackend.class);
    }
}
