package org.recurrent4j.cuda;

/** recurrent4j's CUDA kernels cannot run here; the message says why and what to do. */
public class CudaUnavailableException extends RuntimeException {

    public CudaUnavailableException(String message) {
        super(message);
    }
}
