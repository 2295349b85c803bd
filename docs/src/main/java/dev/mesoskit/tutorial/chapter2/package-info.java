/**
 * Chapter 2, offers: a scheduler that registers with the master, logs the offers it gets and
 * declines them.
 *
 * <p>{@link dev.mesoskit.core.Framework} hides the offer loop. To see it, this chapter goes one
 * level down, to the {@link dev.mesoskit.core.spi.SchedulerBackend}: the connection to the master
 * that {@code Framework} itself uses. A backend sends calls (subscribe, accept, decline, kill,
 * acknowledge, reconcile) and delivers the master's events to a
 * {@link dev.mesoskit.core.spi.SchedulerEvents}. You will rarely write one yourself; reading one
 * tells you what the SDK does for you.
 *
 * <h2>Subscribing</h2>
 * <p>{@link dev.mesoskit.tutorial.chapter2.LogOffers} subscribes with a
 * {@link dev.mesoskit.core.spi.FrameworkInfo}: a name, the OS user tasks run as, the role whose
 * resources it wants ({@code *}: unreserved), and a failover timeout of zero (when this scheduler
 * goes away, the master forgets it at once; chapter 6 is about the other choice):
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter2/LogOffers.java#subscribe -->
 * <pre>{@code
 * try (SchedulerBackend backend = Backends.fromArgs(args)) {
 *   LogOffers scheduler = new LogOffers(backend, out, count);
 *   FrameworkInfo info = new FrameworkInfo("log-offers", System.getProperty("user.name"),
 *       "*", Optional.empty(), Optional.empty(), Duration.ZERO, Optional.empty(),
 *       Optional.empty(), Set.of());
 *   backend.subscribe(info, scheduler);               // events arrive on the backend's thread
 *   scheduler.enough.await(30, TimeUnit.SECONDS);
 *   backend.teardown();                               // the master forgets the framework
 *   return List.copyOf(scheduler.received);
 * }
 * }</pre>
 *
 * <h2>Offers</h2>
 * <p>The master answers with {@code SUBSCRIBED} (the framework id it assigned) and then
 * {@code OFFERS}: each {@link dev.mesoskit.core.Offer} is the free resources of one agent, held
 * for this framework until it accepts or declines them (or the master rescinds them). A framework
 * with nothing to run must decline, or the resources stay idle. The {@code refuse} duration asks
 * the master not to offer the same resources again for that long; Mesos' default is 5 s:
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter2/LogOffers.java#events -->
 * <pre>{@code
 * @Override
 * public void subscribed(String frameworkId, Duration heartbeatInterval) {
 *   out.println("registered as " + frameworkId + ", heartbeat every " + heartbeatInterval);
 * }
 *
 * @Override
 * public void offers(List<Offer> offers) {
 *   for (Offer offer : offers) {
 *     out.println("offer " + offer.id() + " from agent " + offer.agentId() + " ("
 *         + offer.hostname() + "): " + offer.resources());
 *   }
 *   // Nothing to run: hand the resources back; the master re-offers them after 1 s.
 *   backend.decline(offers.stream().map(Offer::id).toList(), Duration.ofSeconds(1));
 *   received.addAll(offers);
 *   offers.forEach(offer -> enough.countDown());
 * }
 * }</pre>
 *
 * <p>What {@code Framework} does with offers instead: it packs its pending tasks onto them
 * (chapter 3), accepts the ones it uses, declines the rest with its
 * {@linkplain dev.mesoskit.core.Framework.Builder#refuse refuse duration}, and, when no task is
 * pending, tells the master to stop sending offers ({@code SUPPRESS}) until new work arrives
 * ({@code REVIVE}).
 *
 * <h2>Run it</h2>
 * <pre>
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter2.LogOffers --master=local
 * </pre>
 * <p>On a 2-core machine with 16 GB it printed (each agent of the local cluster gets the machine's
 * cpus, a share of its memory and half of the ports; ids differ per run):
 * <pre>
 * registered as 0859492d-f23e-4c6f-aca6-76c202975714-0000, heartbeat every PT15S
 * offer offer-1 from agent agent-1 (127.0.0.1): cpus:2;mem:8035;disk:10240;ports:[31000-31499]
 * offer offer-2 from agent agent-2 (127.0.0.1): cpus:2;mem:8035;disk:10240;ports:[31500-32000]
 * offer offer-3 from agent agent-1 (127.0.0.1): cpus:2;mem:8035;disk:10240;ports:[31000-31499]
 * offer offer-4 from agent agent-2 (127.0.0.1): cpus:2;mem:8035;disk:10240;ports:[31500-32000]
 * declined 4 offers, tore down
 * </pre>
 * <p>Offers 3 and 4 are the same resources again, a second after they were declined.
 *
 * <p>Next: {@linkplain dev.mesoskit.tutorial.chapter3 chapter 3, launching tasks}.
 */
package dev.mesoskit.tutorial.chapter2;
