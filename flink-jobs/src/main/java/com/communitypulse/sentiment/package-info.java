/**
 * Sentiment and moderation categories for chat messages, in process, Chinese and English.
 *
 * <pre>
 *   text ──normalise (lower-case, full-width→ASCII)──┬─► lexicon pass: longest-match trie over the
 *                                                    │   curated lists (sentiment, negators, degree,
 *                                                    │   contrast, emoji, categories) → clause rules
 *                                                    │   → score, label, categories, evidence
 *                                                    │                         (LexiconScorer)
 *                                                    └─► hashed char 1-3-grams + word 1-2-grams
 *                                                        + lexicon features → logistic regression
 *                                                                              (TrainedScorer)
 * </pre>
 *
 * Entry points: {@link com.communitypulse.sentiment.SentimentScorers#create} (build once per task in
 * {@code open()}) and {@link com.communitypulse.sentiment.SentimentCli} ({@code pulse sentiment
 * score|eval|train}). Lexicon and model file formats: {@code src/main/resources/sentiment/README.md}.
 */
package com.communitypulse.sentiment;
