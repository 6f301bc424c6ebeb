<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en_US">
<context>
    <name>ProviderType</name>
    <message>
        <source>OpenAI-compatible (chat completions)</source>
        <translation>Compatible OpenAI (chat completions)</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>URL de base&#xa0;:</translation>
    </message>
    <message>
        <source>https://api.example.com/v1</source>
        <translation>https://api.example.com/v1</translation>
    </message>
    <message>
        <source>Enter the provider&apos;s base URL.</source>
        <translation>Saisissez l’URL de base du fournisseur.</translation>
    </message>
    <message>
        <source>The base URL must start with http:// or https://.</source>
        <translation>L’URL de base doit commencer par http:// ou https://.</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>Clé d’API&#xa0;:</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <source>Models:</source>
        <translation>Modèles&#xa0;:</translation>
    </message>
    <message>
        <source>model ids, separated by commas</source>
        <translation>identifiants de modèles, séparés par des virgules</translation>
    </message>
    <message>
        <source>List at least one model id.</source>
        <translation>Indiquez au moins un identifiant de modèle.</translation>
    </message>
    <message>
        <source>Headers:</source>
        <translation>En-têtes&#xa0;:</translation>
    </message>
    <message>
        <source>one per line: Name: value</source>
        <translation>un par ligne&#xa0;: Nom&#xa0;: valeur</translation>
    </message>
    <message>
        <source>Write each header on its own line as “Name: value”.</source>
        <translation>Écrivez chaque en-tête sur sa propre ligne, sous la forme «&#xa0;Nom&#xa0;: valeur&#xa0;».</translation>
    </message>
    <message>
        <source>Connect timeout:</source>
        <translation>Délai de connexion&#xa0;:</translation>
    </message>
    <message>
        <source>First answer within:</source>
        <translation>Première réponse sous&#xa0;:</translation>
    </message>
    <message>
        <source>Silence allowed between events:</source>
        <translation>Silence permis entre deux événements&#xa0;:</translation>
    </message>
    <message>
        <source>Echo (answers with the prompt, for testing)</source>
        <translation>Écho (répond avec le prompt, pour tester)</translation>
    </message>
    <message>
        <source>Pause between pieces:</source>
        <translation>Pause entre les morceaux&#xa0;:</translation>
    </message>
    <message>
        <source>Max concurrent runs:</source>
        <translation>Exécutions simultanées (max.)&#xa0;:</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>sans limite</translation>
    </message>
    <message>
        <source>Max queued runs:</source>
        <translation>Exécutions en attente (max.)&#xa0;:</translation>
    </message>
</context>
<context>
    <name>passerelle::AgentDialog</name>
    <message>
        <source>New agent</source>
        <translation>Nouvel agent</translation>
    </message>
    <message>
        <source>Edit agent “%1”</source>
        <translation>Modifier l’agent «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>e.g. writer</source>
        <translation>p. ex. redacteur</translation>
    </message>
    <message>
        <source>Clients reach this agent with the model “openclaw/&lt;id&gt;”.</source>
        <translation>Les clients joignent cet agent avec le modèle «&#xa0;openclaw/&lt;id&gt;&#xa0;».</translation>
    </message>
    <message>
        <source>Id:</source>
        <translation>Identifiant&#xa0;:</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nom&#xa0;:</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modèle&#xa0;:</translation>
    </message>
    <message>
        <source>provider/model, tried in order when the model fails</source>
        <translation>fournisseur/modèle, essayés dans l’ordre si le modèle échoue</translation>
    </message>
    <message>
        <source>Fallbacks:</source>
        <translation>Modèles de repli&#xa0;:</translation>
    </message>
    <message>
        <source>Optional instructions sent before every conversation</source>
        <translation>Consignes facultatives envoyées avant chaque conversation</translation>
    </message>
    <message>
        <source>System prompt:</source>
        <translation>Prompt système&#xa0;:</translation>
    </message>
    <message>
        <source>Default agent (answers “openclaw” and requests naming no agent)</source>
        <translation>Agent par défaut (répond à «&#xa0;openclaw&#xa0;» et aux requêtes sans agent)</translation>
    </message>
    <message>
        <source>“%1” is not of the form provider/model.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas de la forme fournisseur/modèle.</translation>
    </message>
    <message>
        <source>No provider named “%1” is declared (see Providers below).</source>
        <translation>Aucun fournisseur nommé «&#xa0;%1&#xa0;» n’est déclaré (voir Fournisseurs ci-dessous).</translation>
    </message>
    <message>
        <source>Give the agent an id.</source>
        <translation>Donnez un identifiant à l’agent.</translation>
    </message>
    <message>
        <source>An id has 1 to 64 characters: lower-case letters, digits, “-” and “_”, starting with a letter or a digit.</source>
        <translation>Un identifiant compte 1 à 64 caractères&#xa0;: lettres minuscules, chiffres, «&#xa0;-&#xa0;» et «&#xa0;_&#xa0;», et commence par une lettre ou un chiffre.</translation>
    </message>
    <message>
        <source>An agent with the id “%1” already exists.</source>
        <translation>Un agent d’identifiant «&#xa0;%1&#xa0;» existe déjà.</translation>
    </message>
    <message>
        <source>Choose the model the agent uses.</source>
        <translation>Choisissez le modèle qu’utilise l’agent.</translation>
    </message>
    <message>
        <source>Fallback: %1</source>
        <translation>Repli&#xa0;: %1</translation>
    </message>
    <message>
        <source>model names such as claude-* (“*” matches anything)</source>
        <translation>noms de modèle comme claude-* (« * » remplace n’importe quoi)</translation>
    </message>
    <message>
        <source>Clients that name one of these models reach this agent, on every endpoint: Claude Code asks for models named claude-…</source>
        <translation>Les clients qui nomment l’un de ces modèles joignent cet agent, sur chaque endpoint : Claude Code demande des modèles nommés claude-…</translation>
    </message>
    <message>
        <source>Also answers to:</source>
        <translation>Répond aussi à :</translation>
    </message>
    <message>
        <source>“%1” already answers for the agent “%2”.</source>
        <translation>« %1 » répond déjà pour l’agent « %2 ».</translation>
    </message>
</context>
<context>
    <name>passerelle::AgentsPage</name>
    <message>
        <source>The change could not be saved: %1</source>
        <translation>La modification n’a pas pu être enregistrée&#xa0;: %1</translation>
    </message>
    <message>
        <source>Agent “%1” added: clients reach it with the model “openclaw/%1”.</source>
        <translation>Agent «&#xa0;%1&#xa0;» ajouté&#xa0;: les clients le joignent avec le modèle «&#xa0;openclaw/%1&#xa0;».</translation>
    </message>
    <message>
        <source>Agent “%1” saved.</source>
        <translation>Agent «&#xa0;%1&#xa0;» enregistré.</translation>
    </message>
    <message>
        <source>The last agent cannot be removed: the gateway needs one to answer.</source>
        <translation>Le dernier agent ne peut pas être supprimé&#xa0;: la passerelle en a besoin pour répondre.</translation>
    </message>
    <message>
        <source>Agent “%1” removed.</source>
        <translation>Agent «&#xa0;%1&#xa0;» supprimé.</translation>
    </message>
    <message>
        <source>“%1” is now the default agent.</source>
        <translation>«&#xa0;%1&#xa0;» est désormais l’agent par défaut.</translation>
    </message>
    <message>
        <source>Provider “%1” saved.</source>
        <translation>Fournisseur «&#xa0;%1&#xa0;» enregistré.</translation>
    </message>
    <message>
        <source>“echo” is built in and cannot be removed.</source>
        <translation>«&#xa0;echo&#xa0;» est intégré et ne peut pas être supprimé.</translation>
    </message>
    <message>
        <source>Agent “%1” uses “%2”: change its model first.</source>
        <translation>L’agent «&#xa0;%1&#xa0;» utilise «&#xa0;%2&#xa0;»&#xa0;: changez d’abord son modèle.</translation>
    </message>
    <message>
        <source>Provider “%1” removed.</source>
        <translation>Fournisseur «&#xa0;%1&#xa0;» supprimé.</translation>
    </message>
    <message>
        <source>Remove the agent?</source>
        <translation>Supprimer l’agent&#xa0;?</translation>
    </message>
    <message>
        <source>Requests for “openclaw/%1” will be refused once it is removed.</source>
        <translation>Les requêtes vers «&#xa0;openclaw/%1&#xa0;» seront refusées une fois l’agent supprimé.</translation>
    </message>
    <message>
        <source> (then %1)</source>
        <translation> (puis %1)</translation>
    </message>
    <message>
        <source>default</source>
        <translation>par défaut</translation>
    </message>
    <message>
        <source>built in</source>
        <translation>intégré</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>Agents</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Par défaut</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Ajouter…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Modifier…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Supprimer…</translation>
    </message>
    <message>
        <source>Make default</source>
        <translation>Définir par défaut</translation>
    </message>
    <message>
        <source>Model providers</source>
        <translation>Fournisseurs de modèles</translation>
    </message>
    <message>
        <source>API</source>
        <translation>API</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>URL de base</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Clé d’API</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>Runs talking to this provider now, and how many may at once</source>
        <translation>Exécutions en cours avec ce fournisseur, et combien peuvent l’être à la fois</translation>
    </message>
    <message>
        <source>Runs talking to this provider now (no limit)</source>
        <translation>Exécutions en cours avec ce fournisseur (sans limite)</translation>
    </message>
    <message>
        <source>Runs waiting for a free slot, and how many may wait</source>
        <translation>Exécutions en attente d’une place libre, et combien peuvent attendre</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En cours</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Also answers to</source>
        <translation>Répond aussi à</translation>
    </message>
</context>
<context>
    <name>passerelle::GuiRoot</name>
    <message>
        <source>Passerelle cannot start</source>
        <translation>Passerelle ne peut pas démarrer</translation>
    </message>
    <message>
        <source>The configuration file cannot be used:
%1</source>
        <translation>Le fichier de configuration est inutilisable&#xa0;:
%1</translation>
    </message>
    <message>
        <source>Passerelle is still running</source>
        <translation>Passerelle fonctionne toujours</translation>
    </message>
    <message>
        <source>The gateway keeps serving. Use the tray icon to open the panel or to quit.</source>
        <translation>La passerelle continue de servir. L’icône de la zone de notification permet d’ouvrir le panneau ou de quitter.</translation>
    </message>
</context>
<context>
    <name>passerelle::LiveChart</name>
    <message>
        <source>−60 s</source>
        <translation>−60&#xa0;s</translation>
    </message>
    <message>
        <source>now</source>
        <translation>maintenant</translation>
    </message>
    <message>
        <source>Requests per second</source>
        <translation>Requêtes par seconde</translation>
    </message>
    <message>
        <source>Mean latency (ms)</source>
        <translation>Latence moyenne (ms)</translation>
    </message>
</context>
<context>
    <name>passerelle::MainWindow</name>
    <message>
        <source>The configuration file has an error and was not applied: %1</source>
        <translation>Le fichier de configuration contient une erreur et n’a pas été appliqué&#xa0;: %1</translation>
    </message>
    <message>
        <source>Serving on %1</source>
        <translation>En service sur %1</translation>
    </message>
    <message>
        <source>Listening on %1, chat endpoint off</source>
        <translation>À l’écoute sur %1, endpoint de chat désactivé</translation>
    </message>
    <message>
        <source>Not listening: %1</source>
        <translation>Pas à l’écoute&#xa0;: %1</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Arrêtée</translation>
    </message>
    <message>
        <source>No system tray</source>
        <translation>Pas de zone de notification</translation>
    </message>
    <message>
        <source>This desktop has no system tray, so Passerelle cannot keep running in the background. The window stays open; quit to stop the gateway.</source>
        <translation>Ce bureau n’a pas de zone de notification&#xa0;: Passerelle ne peut donc pas continuer en arrière-plan. La fenêtre reste ouverte&#xa0;; quittez pour arrêter la passerelle.</translation>
    </message>
    <message>
        <source>Keep the window</source>
        <translation>Garder la fenêtre</translation>
    </message>
    <message>
        <source>Quit Passerelle</source>
        <translation>Quitter Passerelle</translation>
    </message>
    <message>
        <source>Passerelle — control panel</source>
        <translation>Passerelle — panneau de contrôle</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Aperçu</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Jetons</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>Agents</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requêtes</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Réglages</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Export the request log…</source>
        <translation>&amp;Exporter le journal des requêtes…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Serving on %1 — %2</source>
        <translation>En service sur %1 — %2</translation>
    </message>
</context>
<context>
    <name>passerelle::NamedTokenDialog</name>
    <message>
        <source>New named token</source>
        <translation>Nouveau jeton nommé</translation>
    </message>
    <message>
        <source>e.g. laptop, ci, home-assistant</source>
        <translation>p. ex. portable, ci, home-assistant</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nom&#xa0;:</translation>
    </message>
    <message>
        <source>Agents:</source>
        <translation>Agents&#xa0;:</translation>
    </message>
    <message>
        <source>Tick none to let the token reach every agent.</source>
        <translation>Ne cochez rien pour que le jeton accède à tous les agents.</translation>
    </message>
    <message>
        <source>Create token</source>
        <translation>Créer le jeton</translation>
    </message>
    <message>
        <source>Give the token a name.</source>
        <translation>Donnez un nom au jeton.</translation>
    </message>
    <message>
        <source>The name is longer than 64 characters.</source>
        <translation>Le nom dépasse 64 caractères.</translation>
    </message>
    <message>
        <source>A token named “%1” already exists.</source>
        <translation>Un jeton nommé «&#xa0;%1&#xa0;» existe déjà.</translation>
    </message>
    <message>
        <source>“%1” is reserved for the gateway&apos;s own credential: choose another name.</source>
        <translation>«&#xa0;%1&#xa0;» est réservé à l’identifiant propre de la passerelle&#xa0;: choisissez un autre nom.</translation>
    </message>
</context>
<context>
    <name>passerelle::OverviewPage</name>
    <message>
        <source>The change could not be saved: %1</source>
        <translation>La modification n’a pas pu être enregistrée&#xa0;: %1</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Arrêtée</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <source>Serving</source>
        <translation>En service</translation>
    </message>
    <message>
        <source>Serving, chat endpoint off</source>
        <translation>En service, endpoint de chat désactivé</translation>
    </message>
    <message>
        <source>Not listening</source>
        <translation>Pas à l’écoute</translation>
    </message>
    <message>
        <source>%1 (not listening)</source>
        <translation>%1 (pas à l’écoute)</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>Passerelle</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>État&#xa0;:</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Adresse&#xa0;:</translation>
    </message>
    <message>
        <source>Serve the Chat Completions endpoint (/v1/chat/completions)</source>
        <translation>Servir l’endpoint Chat Completions (/v1/chat/completions)</translation>
    </message>
    <message>
        <source>Endpoint URL</source>
        <translation>URL de l’endpoint</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Try it with curl</source>
        <translation>Essayer avec curl</translation>
    </message>
    <message>
        <source>Put the real secret in the commands</source>
        <translation>Mettre le vrai secret dans les commandes</translation>
    </message>
    <message>
        <source>Complete answer:</source>
        <translation>Réponse complète&#xa0;:</translation>
    </message>
    <message>
        <source>Streamed answer (Server-Sent Events):</source>
        <translation>Réponse en flux (Server-Sent Events)&#xa0;:</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>Trafic</translation>
    </message>
    <message>
        <source>Requests:</source>
        <translation>Requêtes&#xa0;:</translation>
    </message>
    <message>
        <source>Errors:</source>
        <translation>Erreurs&#xa0;:</translation>
    </message>
    <message>
        <source>Active streams:</source>
        <translation>Flux en cours&#xa0;:</translation>
    </message>
    <message>
        <source>At GET /metrics: %1</source>
        <translation>Sur GET /metrics&#xa0;: %1</translation>
    </message>
    <message>
        <source>Prometheus and other scrapers read these figures at GET /metrics (passerelle_requests_total, passerelle_request_errors_total, passerelle_active_streams; per route: passerelle_http_requests_total, passerelle_http_request_duration_seconds).</source>
        <translation>Prometheus et les autres collecteurs lisent ces chiffres sur GET /metrics (passerelle_requests_total, passerelle_request_errors_total, passerelle_active_streams&#xa0;; par route&#xa0;: passerelle_http_requests_total, passerelle_http_request_duration_seconds).</translation>
    </message>
    <message>
        <source>Serving, Responses endpoint off</source>
        <translation>En service, endpoint Responses désactivé</translation>
    </message>
    <message>
        <source>Serving, endpoints off</source>
        <translation>En service, endpoints désactivés</translation>
    </message>
    <message>
        <source>Serve the Responses endpoint (/v1/responses)</source>
        <translation>Servir l’endpoint Responses (/v1/responses)</translation>
    </message>
    <message>
        <source>Applies at once and is saved to the configuration. While off, an endpoint answers 404 Not Found.</source>
        <translation>S’applique immédiatement et est enregistré dans la configuration. Désactivé, un endpoint répond 404 Not Found.</translation>
    </message>
    <message>
        <source>Chat Completions</source>
        <translation>Chat Completions</translation>
    </message>
    <message>
        <source>Responses</source>
        <translation>Responses</translation>
    </message>
    <message>
        <source>Claude Code asks for models named claude-…: the alias sends them to the agent “%1” (Agents tab, “also answers to”).</source>
        <translation>Claude Code demande des modèles nommés claude-… : l’alias les envoie à l’agent « %1 » (onglet Agents, « répond aussi à »).</translation>
    </message>
    <message>
        <source>Claude Code asks for models named claude-…: no agent answers to them yet. Add the alias claude-* to an agent (Agents tab, “also answers to”).</source>
        <translation>Claude Code demande des modèles nommés claude-… : aucun agent n’y répond encore. Ajoutez l’alias claude-* à un agent (onglet Agents, « répond aussi à »).</translation>
    </message>
    <message>
        <source>Answer claude-* with “%1”</source>
        <translation>Répondre à claude-* avec « %1 »</translation>
    </message>
    <message>
        <source>Claude Code needs this endpoint.</source>
        <translation>Claude Code a besoin de cet endpoint.</translation>
    </message>
    <message>
        <source>Serve the Anthropic Messages endpoint (/v1/messages)</source>
        <translation>Servir l’endpoint Anthropic Messages (/v1/messages)</translation>
    </message>
    <message>
        <source>Anthropic Messages (Claude Code)</source>
        <translation>Anthropic Messages (Claude Code)</translation>
    </message>
    <message>
        <source>Claude Code on this gateway:</source>
        <translation>Claude Code sur cette passerelle :</translation>
    </message>
    <message>
        <source>PostgreSQL</source>
        <translation>PostgreSQL</translation>
    </message>
    <message>
        <source>SQLite</source>
        <translation>SQLite</translation>
    </message>
    <message>
        <source>%1, %2: connecting…</source>
        <translation>%1, %2&#xa0;: connexion…</translation>
    </message>
    <message>
        <source>%1, %2: reachable</source>
        <translation>%1, %2&#xa0;: joignable</translation>
    </message>
    <message>
        <source>%1, %2: unreachable (conversations and stored responses answer 503 until it is back)</source>
        <translation>%1, %2&#xa0;: injoignable (les conversations et les réponses enregistrées répondent 503 jusqu’à son retour)</translation>
    </message>
    <message>
        <source>Session store:</source>
        <translation>Stockage des sessions&#xa0;:</translation>
    </message>
</context>
<context>
    <name>passerelle::ProviderDialog</name>
    <message>
        <source>New provider</source>
        <translation>Nouveau fournisseur</translation>
    </message>
    <message>
        <source>Edit provider “%1”</source>
        <translation>Modifier le fournisseur «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>e.g. openai, ollama, groq</source>
        <translation>p. ex. openai, ollama, groq</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nom&#xa0;:</translation>
    </message>
    <message>
        <source>API:</source>
        <translation>API&#xa0;:</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Afficher</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Masquer</translation>
    </message>
    <message>
        <source> s</source>
        <translation>&#xa0;s</translation>
    </message>
    <message>
        <source> ms</source>
        <translation>&#xa0;ms</translation>
    </message>
    <message>
        <source>Give the provider a name.</source>
        <translation>Donnez un nom au fournisseur.</translation>
    </message>
    <message>
        <source>A provider name uses letters, digits, “.”, “-” and “_”.</source>
        <translation>Un nom de fournisseur se compose de lettres, de chiffres, «&#xa0;.&#xa0;», «&#xa0;-&#xa0;» et «&#xa0;_&#xa0;».</translation>
    </message>
    <message>
        <source>“echo” is the built-in provider; choose another name.</source>
        <translation>«&#xa0;echo&#xa0;» est le fournisseur intégré&#xa0;; choisissez un autre nom.</translation>
    </message>
    <message>
        <source>A provider named “%1” already exists.</source>
        <translation>Un fournisseur nommé «&#xa0;%1&#xa0;» existe déjà.</translation>
    </message>
    <message>
        <source>Choose the provider&apos;s API.</source>
        <translation>Choisissez l’API du fournisseur.</translation>
    </message>
</context>
<context>
    <name>passerelle::RequestLogModel</name>
    <message>
        <source>%1 ms</source>
        <translation>%1&#xa0;ms</translation>
    </message>
    <message>
        <source>WS %1</source>
        <translation>WS %1</translation>
    </message>
    <message>
        <source>stream</source>
        <translation>flux</translation>
    </message>
    <message>
        <source>%1 …</source>
        <translation>%1 …</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>En cours</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Méthode</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Chemin</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Session</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>Flux</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>First byte</source>
        <translation>Premier octet</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Durée</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Jetons</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <source>%1 + %2</source>
        <comment>prompt tokens + completion tokens</comment>
        <translation>%1 + %2</translation>
    </message>
    <message numerus="yes">
        <source>%Ln prompt token(s)</source>
        <translation>
            <numerusform>%Ln jeton de prompt</numerusform>
            <numerusform>%Ln jetons de prompt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln completion token(s)</source>
        <translation>
            <numerusform>%Ln jeton de réponse</numerusform>
            <numerusform>%Ln jetons de réponse</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>passerelle::RequestLogPage</name>
    <message>
        <source>Select a request to see its events, its body and its response.</source>
        <translation>Sélectionnez une requête pour voir ses événements, son corps et sa réponse.</translation>
    </message>
    <message>
        <source>Request #%1</source>
        <translation>Requête n°&#xa0;%1</translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>modèle %1</translation>
    </message>
    <message>
        <source>agent %1</source>
        <translation>agent %1</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>terminée</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>en cours</translation>
    </message>
    <message>
        <source>The details of this request were dropped to keep the log&apos;s memory bounded.</source>
        <translation>Les détails de cette requête ont été écartés pour borner la mémoire du journal.</translation>
    </message>
    <message>
        <source>Not a streaming request: no events.</source>
        <translation>Requête sans flux&#xa0;: aucun événement.</translation>
    </message>
    <message>
        <source>Export the request log</source>
        <translation>Exporter le journal des requêtes</translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl);;All files (*)</source>
        <translation>JSON Lines (*.jsonl);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Échec de l’export</translation>
    </message>
    <message>
        <source>The log could not be written to %1: %2</source>
        <translation>Le journal n’a pas pu être écrit dans %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Search client, path, agent, session, status or error</source>
        <translation>Chercher un client, un chemin, un agent, une session, un statut ou une erreur</translation>
    </message>
    <message>
        <source>All requests</source>
        <translation>Toutes les requêtes</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Erreurs</translation>
    </message>
    <message>
        <source>Streams</source>
        <translation>Flux</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>En cours</translation>
    </message>
    <message>
        <source>Follow new requests</source>
        <translation>Suivre les nouvelles requêtes</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Vider</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <source>SSE events</source>
        <translation>Événements SSE</translation>
    </message>
    <message>
        <source>Request body</source>
        <translation>Corps de la requête</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Réponse</translation>
    </message>
    <message numerus="yes">
        <source>%Ln later event(s) not kept (at most %1 per request).</source>
        <translation>
            <numerusform>%Ln événement suivant non conservé (%1 au plus par requête).</numerusform>
            <numerusform>%Ln événements suivants non conservés (%1 au plus par requête).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln request(s)</source>
        <translation>
            <numerusform>%Ln requête</numerusform>
            <numerusform>%Ln requêtes</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <comment>shown of total requests</comment>
        <translation>%1 sur %2</translation>
    </message>
</context>
<context>
    <name>passerelle::SecretDialog</name>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>This is the only time it is shown: Passerelle keeps only its SHA-256 fingerprint.</source>
        <translation>C’est la seule fois qu’il est affiché&#xa0;: Passerelle n’en garde que l’empreinte SHA-256.</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
</context>
<context>
    <name>passerelle::SettingsPage</name>
    <message>
        <source>%1 s</source>
        <translation>%1&#xa0;s</translation>
    </message>
    <message>
        <source>The change could not be saved: %1</source>
        <translation>La modification n’a pas pu être enregistrée&#xa0;: %1</translation>
    </message>
    <message>
        <source>“%1” is not an IP address.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas une adresse IP.</translation>
    </message>
    <message>
        <source>Authentication is off, so the gateway may only listen on loopback. Choose token or password authentication first (Tokens tab).</source>
        <translation>L’authentification est désactivée&#xa0;: la passerelle ne peut écouter que sur la boucle locale. Choisissez d’abord une authentification par jeton ou par mot de passe (onglet Jetons).</translation>
    </message>
    <message>
        <source>Opening the new address…</source>
        <translation>Ouverture de la nouvelle adresse…</translation>
    </message>
    <message>
        <source>“*” would let every web page call the gateway; list the origins instead.</source>
        <translation>«&#xa0;*&#xa0;» laisserait n’importe quelle page web appeler la passerelle&#xa0;; indiquez plutôt les origines.</translation>
    </message>
    <message>
        <source>“%1” is not an origin such as https://app.example.com or http://localhost:3000.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas une origine comme https://app.example.com ou http://localhost:3000.</translation>
    </message>
    <message>
        <source>CORS is off: browsers on other sites get no access.</source>
        <translation>CORS désactivé&#xa0;: les navigateurs sur d’autres sites n’ont pas accès.</translation>
    </message>
    <message numerus="yes">
        <source>Saved: %n origin(s) may call the gateway from a browser.</source>
        <translation>
            <numerusform>Enregistré&#xa0;: %n origine peut appeler la passerelle depuis un navigateur.</numerusform>
            <numerusform>Enregistré&#xa0;: %n origines peuvent appeler la passerelle depuis un navigateur.</numerusform>
        </translation>
    </message>
    <message>
        <source>Listening on %1.</source>
        <translation>À l’écoute sur %1.</translation>
    </message>
    <message>
        <source>not listening</source>
        <translation>pas à l’écoute</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>démarrage…</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>arrêtée</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Réseau</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port&#xa0;:</translation>
    </message>
    <message>
        <source>any free port</source>
        <translation>n’importe quel port libre</translation>
    </message>
    <message>
        <source>Listen on:</source>
        <translation>Écouter sur&#xa0;:</translation>
    </message>
    <message>
        <source>This computer only (127.0.0.1)</source>
        <translation>Cet ordinateur seulement (127.0.0.1)</translation>
    </message>
    <message>
        <source>Every network interface (0.0.0.0)</source>
        <translation>Toutes les interfaces réseau (0.0.0.0)</translation>
    </message>
    <message>
        <source>A specific address</source>
        <translation>Une adresse précise</translation>
    </message>
    <message>
        <source>e.g. 192.168.1.20</source>
        <translation>p. ex. 192.168.1.20</translation>
    </message>
    <message>
        <source>Now listening on:</source>
        <translation>À l’écoute sur&#xa0;:</translation>
    </message>
    <message>
        <source>Apply and re-listen</source>
        <translation>Appliquer et réécouter</translation>
    </message>
    <message>
        <source>Browser access (CORS)</source>
        <translation>Accès depuis un navigateur (CORS)</translation>
    </message>
    <message>
        <source>Web pages from these origins may call the gateway, one per line. Leave empty to refuse every other site.</source>
        <translation>Les pages web de ces origines peuvent appeler la passerelle, une par ligne. Laissez vide pour refuser tout autre site.</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Appliquer</translation>
    </message>
    <message>
        <source>Upstream timeouts</source>
        <translation>Délais des fournisseurs</translation>
    </message>
    <message>
        <source>Each model provider has its own timeouts: edit them in Agents › Model providers. The built-in echo provider needs none.</source>
        <translation>Chaque fournisseur de modèles a ses propres délais&#xa0;: modifiez-les dans Agents › Fournisseurs de modèles. Le fournisseur intégré echo n’en a pas besoin.</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Fournisseur</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <source>First answer</source>
        <translation>Première réponse</translation>
    </message>
    <message>
        <source>Between events</source>
        <translation>Entre événements</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>Interface</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Langue&#xa0;:</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>Start minimised to the tray</source>
        <translation>Démarrer réduit dans la zone de notification</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Fichiers</translation>
    </message>
    <message>
        <source>Configuration:</source>
        <translation>Configuration&#xa0;:</translation>
    </message>
    <message>
        <source>Data (sessions):</source>
        <translation>Données (sessions)&#xa0;:</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Ouvrir le dossier</translation>
    </message>
    <message>
        <source>The new address could not be opened, so the gateway still listens on %1.
%2</source>
        <translation>La nouvelle adresse n’a pas pu être ouverte&#xa0;: la passerelle reste à l’écoute sur %1.
%2</translation>
    </message>
    <message>
        <source>The gateway is not listening.
%1</source>
        <translation>La passerelle n’est pas à l’écoute.
%1</translation>
    </message>
</context>
<context>
    <name>passerelle::SseFrameModel</name>
    <message>
        <source>+%1 ms</source>
        <translation>+%1&#xa0;ms</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>Décalage</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>Contenu</translation>
    </message>
    <message>
        <source>Raw frame</source>
        <translation>Trame brute</translation>
    </message>
    <message>
        <source>(comment)</source>
        <translation>(commentaire)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
</context>
<context>
    <name>passerelle::SseFrameSummary</name>
    <message>
        <source>keep-alive</source>
        <translation>maintien de connexion</translation>
    </message>
    <message>
        <source>end of stream</source>
        <translation>fin du flux</translation>
    </message>
    <message>
        <source>error: %1</source>
        <translation>erreur&#xa0;: %1</translation>
    </message>
    <message>
        <source>response: ok</source>
        <translation>réponse&#xa0;: ok</translation>
    </message>
    <message>
        <source>role: %1</source>
        <translation>rôle&#xa0;: %1</translation>
    </message>
    <message>
        <source>call %1</source>
        <translation>appel de %1</translation>
    </message>
    <message>
        <source>call %1 %2</source>
        <translation>appel de %1 %2</translation>
    </message>
    <message>
        <source>finish: %1</source>
        <translation>fin&#xa0;: %1</translation>
    </message>
    <message>
        <source>usage: %1</source>
        <translation>usage&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>passerelle::TokensPage</name>
    <message>
        <source>%1 s</source>
        <translation>%1&#xa0;s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1&#xa0;min %2&#xa0;s</translation>
    </message>
    <message>
        <source>The token is in the clipboard.</source>
        <translation>Le jeton est dans le presse-papiers.</translation>
    </message>
    <message>
        <source>The change could not be saved: %1</source>
        <translation>La modification n’a pas pu être enregistrée&#xa0;: %1</translation>
    </message>
    <message>
        <source>“None” is only allowed while the gateway listens on loopback (127.0.0.1). Change the bind address in Settings first.</source>
        <translation>«&#xa0;Aucune&#xa0;» n’est permise que si la passerelle écoute sur la boucle locale (127.0.0.1). Changez d’abord l’adresse d’écoute dans Réglages.</translation>
    </message>
    <message>
        <source>Set a password below before choosing password mode.</source>
        <translation>Définissez un mot de passe ci-dessous avant de choisir ce mode.</translation>
    </message>
    <message>
        <source>There is no token yet: regenerate one first.</source>
        <translation>Il n’y a pas encore de jeton&#xa0;: régénérez-en un d’abord.</translation>
    </message>
    <message>
        <source>A new token is in force; clients using the old one are refused.</source>
        <translation>Un nouveau jeton est en vigueur&#xa0;; les clients qui utilisent l’ancien sont refusés.</translation>
    </message>
    <message>
        <source>The password cannot be empty in password mode.</source>
        <translation>Le mot de passe ne peut pas être vide en mode mot de passe.</translation>
    </message>
    <message>
        <source>The password was removed.</source>
        <translation>Le mot de passe a été supprimé.</translation>
    </message>
    <message>
        <source>The password was saved.</source>
        <translation>Le mot de passe a été enregistré.</translation>
    </message>
    <message>
        <source>Token “%1” created.</source>
        <translation>Jeton «&#xa0;%1&#xa0;» créé.</translation>
    </message>
    <message>
        <source>Token “%1” revoked: it no longer gets in.</source>
        <translation>Jeton «&#xa0;%1&#xa0;» révoqué&#xa0;: il n’ouvre plus l’accès.</translation>
    </message>
    <message>
        <source>Limiter settings saved.</source>
        <translation>Réglages du limiteur enregistrés.</translation>
    </message>
    <message>
        <source>Regenerate the token?</source>
        <translation>Régénérer le jeton&#xa0;?</translation>
    </message>
    <message>
        <source>Every client using the current token will be refused until it gets the new one.</source>
        <translation>Tout client qui utilise le jeton actuel sera refusé tant qu’il n’aura pas le nouveau.</translation>
    </message>
    <message>
        <source>Token “%1”</source>
        <translation>Jeton «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>Give this token to the client that will use it. It is sent as “Authorization: Bearer &lt;token&gt;”.</source>
        <translation>Donnez ce jeton au client qui l’utilisera. Il s’envoie sous la forme «&#xa0;Authorization: Bearer &lt;jeton&gt;&#xa0;».</translation>
    </message>
    <message>
        <source>Revoke the token?</source>
        <translation>Révoquer le jeton&#xa0;?</translation>
    </message>
    <message>
        <source>Clients using “%1” will be refused from now on.</source>
        <translation>Les clients qui utilisent «&#xa0;%1&#xa0;» seront désormais refusés.</translation>
    </message>
    <message>
        <source>all agents</source>
        <translation>tous les agents</translation>
    </message>
    <message>
        <source>ending</source>
        <translation>se termine</translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation>Authentification</translation>
    </message>
    <message>
        <source>Mode:</source>
        <translation>Mode&#xa0;:</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Jeton</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>None (loopback only)</source>
        <translation>Aucune (boucle locale seulement)</translation>
    </message>
    <message>
        <source>Clients send “Authorization: Bearer &lt;secret&gt;”. Without authentication, only programs on this computer can connect.</source>
        <translation>Les clients envoient «&#xa0;Authorization: Bearer &lt;secret&gt;&#xa0;». Sans authentification, seuls les programmes de cet ordinateur peuvent se connecter.</translation>
    </message>
    <message>
        <source>Main token:</source>
        <translation>Jeton principal&#xa0;:</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Masquer</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Afficher</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Regenerate…</source>
        <translation>Régénérer…</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>non défini</translation>
    </message>
    <message>
        <source>Save password</source>
        <translation>Enregistrer le mot de passe</translation>
    </message>
    <message>
        <source>Named tokens</source>
        <translation>Jetons nommés</translation>
    </message>
    <message>
        <source>Extra tokens for individual clients, each limited to some agents if you like. Only a fingerprint is stored: the secret is shown once.</source>
        <translation>Des jetons supplémentaires pour chaque client, limités à certains agents si vous le souhaitez. Seule une empreinte est conservée&#xa0;: le secret n’est affiché qu’une fois.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>Agents</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créé le</translation>
    </message>
    <message>
        <source>New token…</source>
        <translation>Nouveau jeton…</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>Révoquer…</translation>
    </message>
    <message>
        <source>Failed sign-in limiter</source>
        <translation>Limiteur des échecs d’authentification</translation>
    </message>
    <message>
        <source>Failures before lockout:</source>
        <translation>Échecs avant blocage&#xa0;:</translation>
    </message>
    <message>
        <source>Counted over:</source>
        <translation>Comptés sur&#xa0;:</translation>
    </message>
    <message>
        <source> s</source>
        <translation>&#xa0;s</translation>
    </message>
    <message>
        <source>Lockout lasts:</source>
        <translation>Durée du blocage&#xa0;:</translation>
    </message>
    <message>
        <source>Never lock out this computer (loopback)</source>
        <translation>Ne jamais bloquer cet ordinateur (boucle locale)</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Appliquer</translation>
    </message>
    <message>
        <source>Locked-out addresses</source>
        <translation>Adresses bloquées</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Failures</source>
        <translation>Échecs</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>Restant</translation>
    </message>
    <message>
        <source>No address is locked out.</source>
        <translation>Aucune adresse n’est bloquée.</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Débloquer</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>main token</source>
        <translation>jeton principal</translation>
    </message>
    <message>
        <source>Usage is unavailable: %1</source>
        <translation>L’utilisation n’est pas disponible&#xa0;: %1</translation>
    </message>
    <message>
        <source>No requests in this period.</source>
        <translation>Aucune requête sur cette période.</translation>
    </message>
    <message>
        <source>Days are UTC days. Scrapers read the counts since the gateway started at GET /metrics (passerelle_token_requests_total).</source>
        <translation>Les jours sont des jours UTC. Les collecteurs lisent les comptes depuis le démarrage de la passerelle sur GET /metrics (passerelle_token_requests_total).</translation>
    </message>
    <message>
        <source>Usage per token</source>
        <translation>Utilisation par jeton</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>Période&#xa0;:</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Aujourd’hui</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requêtes</translation>
    </message>
    <message>
        <source>Prompt tokens</source>
        <translation>Jetons d’entrée</translation>
    </message>
    <message>
        <source>Completion tokens</source>
        <translation>Jetons de sortie</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Erreurs</translation>
    </message>
</context>
<context>
    <name>passerelle::TrayController</name>
    <message>
        <source>Passerelle</source>
        <translation>Passerelle</translation>
    </message>
    <message>
        <source>The change could not be saved: %1</source>
        <translation>La modification n’a pas pu être enregistrée&#xa0;: %1</translation>
    </message>
    <message>
        <source>Address locked out</source>
        <translation>Adresse bloquée</translation>
    </message>
    <message>
        <source>%1 failed to sign in too many times and is locked out for now.</source>
        <translation>%1 a échoué trop souvent à s’authentifier et est bloquée pour le moment.</translation>
    </message>
    <message>
        <source>Passerelle cannot listen</source>
        <translation>Passerelle ne peut pas écouter</translation>
    </message>
    <message>
        <source>Serving on %1</source>
        <translation>En service sur %1</translation>
    </message>
    <message>
        <source>Not listening: %1</source>
        <translation>Pas à l’écoute&#xa0;: %1</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Arrêtée</translation>
    </message>
    <message>
        <source>Passerelle — %1</source>
        <translation>Passerelle — %1</translation>
    </message>
    <message>
        <source>Open the panel</source>
        <translation>Ouvrir le panneau</translation>
    </message>
    <message>
        <source>Copy the endpoint URL</source>
        <translation>Copier l’URL de l’endpoint</translation>
    </message>
    <message>
        <source>Quit Passerelle</source>
        <translation>Quitter Passerelle</translation>
    </message>
    <message>
        <source>Endpoints off (%1)</source>
        <translation>Endpoints désactivés (%1)</translation>
    </message>
    <message>
        <source>Endpoints enabled (Chat Completions, Responses, Messages)</source>
        <translation>Endpoints activés (Chat Completions, Responses, Messages)</translation>
    </message>
</context>
<context>
    <name>passerelle::TryItBox</name>
    <message>
        <source>Streaming… first words after %1 ms</source>
        <translation>Flux en cours… premiers mots après %1&#xa0;ms</translation>
    </message>
    <message>
        <source>Done in %1 ms (first words after %2 ms, finish reason: %3).</source>
        <translation>Terminé en %1&#xa0;ms (premiers mots après %2&#xa0;ms, fin&#xa0;: %3).</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <source>The gateway answered %1: %2</source>
        <translation>La passerelle a répondu %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>The request failed: %1</source>
        <translation>La requête a échoué&#xa0;: %1</translation>
    </message>
    <message>
        <source>Waiting for the first words…</source>
        <translation>En attente des premiers mots…</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Arrêtée.</translation>
    </message>
    <message>
        <source>Try it</source>
        <translation>Essayer</translation>
    </message>
    <message>
        <source>Agent:</source>
        <translation>Agent&#xa0;:</translation>
    </message>
    <message>
        <source>Say hello in one short sentence.</source>
        <translation>Dis bonjour en une courte phrase.</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <source>Sends a real streaming request through the gateway, like any client would.</source>
        <translation>Envoie une vraie requête en flux à travers la passerelle, comme le ferait n’importe quel client.</translation>
    </message>
</context>
</TS>
