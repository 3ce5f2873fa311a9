package com.edgeinventory.local.invoke;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * The credentials Lambda hands a function's execution environment, in the form Lambda uses for it
 * (AWS docs, "Activating and managing Lambda SnapStart", credentials): an on-demand function gets the three
 * access-key variables; a SnapStart function, whose environment is restored from a snapshot, gets none of them
 * but a container-credentials endpoint and its token, which the SDK's default chain reads.
 */
public sealed interface LambdaCredentials {

    /** Between a function's container token and an environment id in {@link ContainerEndpoint#forEnvironment}. */
    String ENVIRONMENT_SEPARATOR = ".";

    /** Puts the variables into a function's environment, removing the other form's. */
    void export(Map<String, String> environment);

    /** {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}. */
    record AccessKeys(String accessKeyId, String secretAccessKey, String sessionToken) implements LambdaCredentials {

        /** Placeholder keys for code paths that run a handler without a local IAM identity (tests, samples). */
        public static final AccessKeys PLACEHOLDER = new AccessKeys("test", "test", "test");

        public AccessKeys {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            Objects.requireNonNull(sessionToken, "sessionToken");
        }

        @Override
        public void export(Map<String, String> environment) {
            environment.remove("AWS_CONTAINER_CREDENTIALS_FULL_URI");
            environment.remove("AWS_CONTAINER_AUTHORIZATION_TOKEN");
            environment.put("AWS_ACCESS_KEY_ID", accessKeyId);
            environment.put("AWS_SECRET_ACCESS_KEY", secretAccessKey);
            environment.put("AWS_SESSION_TOKEN", sessionToken);
        }

        @Override
        public String toString() {
            return "AccessKeys[" + accessKeyId + "]";
        }
    }

    /** {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} and {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}, no key variables. */
    record ContainerEndpoint(URI fullUri, String authorizationToken) implements LambdaCredentials {

        public ContainerEndpoint {
            Objects.requireNonNull(fullUri, "fullUri");
            Objects.requireNonNull(authorizationToken, "authorizationToken");
        }

        @Override
        public void export(Map<String, String> environment) {
            environment.remove("AWS_ACCESS_KEY_ID");
            environment.remove("AWS_SECRET_ACCESS_KEY");
            environment.remove("AWS_SESSION_TOKEN");
            environment.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", fullUri.toString());
            environment.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", authorizationToken);
        }

        /**
         * The same endpoint with a token of one execution environment's own: {@link FunctionIdentities} then issues
         * that environment its own keys, and takes back the ones it issued before the environment's SnapStart
         * restore ({@link FunctionIdentities#restored}).
         */
        public ContainerEndpoint forEnvironment(String environmentId) {
            if (!environmentId.matches("[A-Za-z0-9-]+")) {
                throw new IllegalArgumentException("not an environment id: " + environmentId);
            }
            return new ContainerEndpoint(fullUri, authorizationToken + ENVIRONMENT_SEPARATOR + environmentId);
        }

        @Override
        public String toString() {
            return "ContainerEndpoint[" + fullUri + "]";
        }
    }
}
