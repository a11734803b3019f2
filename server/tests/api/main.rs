//! The whole server, spawned on a random port against the WeChat simulator
//! (over real HTTP) with a fresh SQLite file per test.

mod helpers;
mod processes;

mod apps;
mod archive;
mod audit;
mod auth;
mod batches;
mod brand;
mod cluster;
mod codes;
mod commands;
mod crash;
mod dashboard;
mod failures;
mod generate;
mod headers;
mod jump_links;
mod limits;
mod links;
mod living;
mod miniprogram;
mod observability;
mod openapi;
mod print;
mod settings;
mod tokens;
