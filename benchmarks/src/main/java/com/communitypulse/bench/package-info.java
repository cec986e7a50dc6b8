/** JMH micro-benchmarks for the job's hot paths (parsing, sentiment scoring, per-member state). */
package com.communitypulse.bench;
