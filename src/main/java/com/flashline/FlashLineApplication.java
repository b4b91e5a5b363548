package com.flashline;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class FlashLineApplication {
    public static void main(String[] args) {
        SpringApplication.run(FlashLineApplication.class, args);
    }
}
