/**
 * The error vocabulary shared by the core and the services: the job failure codes
 * ({@link com.flashline.error.FailureCode}) that jobs, audit records and the engine's exceptions carry, and the API
 * error codes ({@link com.flashline.error.ErrorCode}) that services raise with a
 * {@link com.flashline.error.DomainException}.
 *
 * <p>A leaf: it imports nothing but {@code java.*}, so the Spring-free core may use it too. How a
 * code is shown to a client (HTTP status, problem document) is decided in {@code web} alone.
 */
package com.flashline.error;
